# Corpus généré : Node (base=node:22-bookworm-slim, install=yarn, final=same, user=node, cmd=entry, healthcheck=True)
FROM node:22-bookworm-slim AS base
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
ENV NODE_ENV=production
EXPOSE 3000
HEALTHCHECK CMD node healthcheck.js
USER node
ENTRYPOINT ["node"]
CMD ["server.js"]
