FROM node:20-alpine
RUN git clone https://example.com/app.git /src
RUN cd /src && npm ci
WORKDIR /src
RUN npm run build && (cd dist && ls)
USER node
CMD ["node", "dist/server.js"]
