# Corpus généré : Node (base=node:lts, install=install, final=nginx, user=node, cmd=shell, healthcheck=False)
FROM node:lts AS build
WORKDIR /usr/src/app
COPY . .
RUN npm install
RUN npm run build

FROM nginx:1.27-alpine
COPY --from=build /usr/src/app/dist /usr/share/nginx/html
EXPOSE 80
CMD nginx -g daemon off;
