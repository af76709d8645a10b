# Corpus généré : Node (base=node:22-bookworm-slim, install=yarn, final=nginx, user=node, cmd=shell, healthcheck=False)
FROM node:22-bookworm-slim AS build
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN npm run build

FROM nginx:1.27-alpine
COPY --from=build /usr/src/app/dist /usr/share/nginx/html
EXPOSE 80
CMD nginx -g daemon off;
