# Corpus généré : Node (base=node:22-bookworm-slim, install=ci, final=same, user=node, cmd=shell, healthcheck=False)
FROM node:22-bookworm-slim AS base
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
ENV NODE_ENV=production
EXPOSE 3000
USER node
CMD node server.js
