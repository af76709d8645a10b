# Corpus généré : Node (base=node:lts, install=yarn, final=distroless, user=none, cmd=json, healthcheck=False)
FROM node:lts AS build
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=build /usr/src/app /app
WORKDIR /app
USER nonroot
CMD ["dist/server.js"]
