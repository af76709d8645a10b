ARG BASE_TAG=3.20
ARG APP_DIR=/srv/app
FROM alpine:${BASE_TAG}
WORKDIR ${APP_DIR}
COPY ${SRC_DIR}/ ./
ARG APP_DIR
WORKDIR ${APP_DIR}
ENV CONFIG=${APP_DIR}/config.yaml
FROM node:${NODE_TAG:-20} AS web
WORKDIR ${WEB_ROOT}
FROM --platform=${BUILDPLATFORM} alpine:${BASE_TAG}
COPY --from=0 /srv /srv
USER nobody
CMD ["sh"]
