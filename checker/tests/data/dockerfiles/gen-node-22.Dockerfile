# Corpus généré : Node (base=node:20, install=yarn, final=same, user=none, cmd=twice, healthcheck=True)
FROM node:20 AS base
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
ENV NODE_ENV=production
EXPOSE 3000
HEALTHCHECK CMD node healthcheck.js
CMD ["sh"]
CMD ["node", "server.js"]
