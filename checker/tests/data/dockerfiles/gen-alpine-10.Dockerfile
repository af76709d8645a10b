# Corpus généré : Alpine (base=alpine:3.20, apk=update, user=none, secret=none, env_form=modern)
FROM alpine:3.20
ENV APP_HOME=/srv/app
RUN apk update && apk add curl && rm -rf /var/cache/apk/*
WORKDIR $APP_HOME
COPY bin/ ./bin/
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["./bin/app"]
