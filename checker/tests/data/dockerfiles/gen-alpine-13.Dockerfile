# Corpus généré : Alpine (base=alpine:3.20, apk=update, user=none, secret=arg, env_form=legacy)
FROM alpine:3.20
ARG GITHUB_TOKEN
ENV APP_HOME /srv/app
RUN apk update && apk add build-base ca-certificates libffi-dev && rm -rf /var/cache/apk/*
WORKDIR $APP_HOME
COPY bin/ ./bin/
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["./bin/app"]
