FROM --platform=linux/amd64 node:20 AS build
RUN npm ci
FROM --platform=linux/arm64 alpine:3.20 AS runtime-arm64
FROM --platform=$TARGETPLATFORM alpine:3.20
FROM --platform=$BUILDPLATFORM alpine:3.20
COPY --from=build /app /app
USER nobody
CMD ["sh"]
