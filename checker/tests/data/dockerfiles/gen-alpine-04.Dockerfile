# Corpus généré : Alpine (base=alpine, apk=virtual, user=app, secret=none, env_form=modern)
FROM alpine
ENV APP_HOME=/srv/app
RUN apk add --no-cache --virtual .build-deps curl tini \
    && make install \
    && apk del .build-deps
WORKDIR $APP_HOME
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["./bin/app"]
