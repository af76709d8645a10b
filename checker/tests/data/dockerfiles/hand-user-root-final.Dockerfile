FROM node:20-alpine
USER node
RUN npm ci
USER root
CMD ["node", "index.js"]
