# Corpus généré : Node (base=node:lts, install=install, final=distroless, user=node, cmd=twice, healthcheck=True)
FROM node:lts AS build
WORKDIR /usr/src/app
COPY . .
RUN npm install
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=build /usr/src/app /app
WORKDIR /app
USER nonroot
CMD ["dist/server.js"]
