FROM node:20-alpine
ONBUILD RUN <<EOF
npm ci
EOF
USER node
CMD ["node", "index.js"]
