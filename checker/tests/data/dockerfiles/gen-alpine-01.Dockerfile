# Corpus généré : Alpine (base=alpine:3.20, apk=mixed, user=none, secret=mount, env_form=modern)
FROM alpine:3.20
ENV APP_HOME=/srv/app
RUN apk add libffi-dev bash curl && pip install --no-cache-dir wheel
WORKDIR $APP_HOME
RUN --mount=type=secret,id=github_token \
    GITHUB_TOKEN="$(cat /run/secrets/github_token)" ./fetch-private-deps.sh
COPY bin/ ./bin/
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["./bin/app"]
