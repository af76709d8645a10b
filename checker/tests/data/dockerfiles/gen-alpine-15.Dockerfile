# Corpus généré : Alpine (base=alpine:latest, apk=no-cache-missing, user=app, secret=mount, env_form=legacy)
FROM alpine:latest
ENV APP_HOME /srv/app
RUN apk add bash su-exec
WORKDIR $APP_HOME
RUN --mount=type=secret,id=github_token \
    GITHUB_TOKEN="$(cat /run/secrets/github_token)" ./fetch-private-deps.sh
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["./bin/app"]
