FROM node:20-alpine
ARG NPM_TOKEN
ARG PUBLIC_KEY_URL=https://example.com/key.pub
ENV DATABASE_PASSWORD=secret \
    APP_MODE=prod
ENV AWS_SECRET_ACCESS_KEY abc123
WORKDIR /app
COPY .env .npmrc ./
COPY certs/server.key /etc/ssl/private/
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
USER node
CMD ["node", "server.js"]
