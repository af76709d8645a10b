# Corpus généré : Alpine (base=alpine:3.20, apk=no-cache-missing, user=none, secret=none, env_form=legacy)
FROM alpine:3.20
ENV APP_HOME /srv/app
RUN apk add su-exec ca-certificates
WORKDIR $APP_HOME
COPY bin/ ./bin/
CMD ["./bin/app"]
