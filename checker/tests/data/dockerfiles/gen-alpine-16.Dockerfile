# Corpus généré : Alpine (base=alpine, apk=virtual, user=app, secret=mount, env_form=modern)
FROM alpine
ENV APP_HOME=/srv/app
RUN apk add --no-cache --virtual .build-deps tini \
    && make install \
    && apk del .build-deps
WORKDIR $APP_HOME
RUN --mount=type=secret,id=github_token \
    GITHUB_TOKEN="$(cat /run/secrets/github_token)" ./fetch-private-deps.sh
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["./bin/app"]
