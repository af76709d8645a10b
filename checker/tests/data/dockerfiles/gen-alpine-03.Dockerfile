# Corpus généré : Alpine (base=alpine:3.19, apk=virtual, user=app, secret=env, env_form=modern)
FROM alpine:3.19
ENV API_KEY=changeme
ENV APP_HOME=/srv/app
RUN apk add --no-cache --virtual .build-deps curl bash \
    && make install \
    && apk del .build-deps
WORKDIR $APP_HOME
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
CMD ["./bin/app"]
