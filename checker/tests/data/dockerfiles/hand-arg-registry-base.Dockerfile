ARG REGISTRY=registry.example.com
ARG NODE_MAJOR=20
FROM ${REGISTRY}/library/node:${NODE_MAJOR}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
FROM ${REGISTRY}/library/node:${NODE_MAJOR}-alpine
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
CMD ["node", "index.js"]
