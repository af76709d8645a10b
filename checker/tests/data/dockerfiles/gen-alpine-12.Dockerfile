# Corpus généré : Alpine (base=busybox:1.36, apk=virtual, user=none, secret=mount, env_form=legacy)
FROM busybox:1.36
ENV APP_HOME /srv/app
WORKDIR $APP_HOME
RUN --mount=type=secret,id=github_token \
    GITHUB_TOKEN="$(cat /run/secrets/github_token)" ./fetch-private-deps.sh
COPY bin/ ./bin/
CMD ["./bin/app"]
