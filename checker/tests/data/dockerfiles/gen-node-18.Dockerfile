# Corpus généré : Node (base=node:20-alpine, install=install, final=distroless, user=none, cmd=twice, healthcheck=True)
FROM node:20-alpine AS build
WORKDIR /usr/src/app
COPY . .
RUN npm install
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=build /usr/src/app /app
WORKDIR /app
USER nonroot
CMD ["dist/server.js"]
