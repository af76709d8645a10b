# syntax=docker/dockerfile:1
# Corpus généré : Node (base=node:22-bookworm-slim, install=bind-mount, final=distroless, user=node, cmd=json, healthcheck=True)
FROM node:22-bookworm-slim AS build
WORKDIR /usr/src/app
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=build /usr/src/app /app
WORKDIR /app
USER nonroot
CMD ["dist/server.js"]
