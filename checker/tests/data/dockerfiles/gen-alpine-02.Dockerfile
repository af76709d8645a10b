# Corpus généré : Alpine (base=alpine, apk=update, user=app, secret=mount, env_form=legacy)
FROM alpine
ENV APP_HOME /srv/app
RUN apk update && apk add ca-certificates && rm -rf /var/cache/apk/*
WORKDIR $APP_HOME
RUN --mount=type=secret,id=github_token \
    GITHUB_TOKEN="$(cat /run/secrets/github_token)" ./fetch-private-deps.sh
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
CMD ["./bin/app"]
