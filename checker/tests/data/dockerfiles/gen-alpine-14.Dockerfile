# Corpus généré : Alpine (base=alpine:3.20, apk=no-cache-missing, user=none, secret=copy-env, env_form=modern)
FROM alpine:3.20
ENV APP_HOME=/srv/app
RUN apk add ca-certificates
WORKDIR $APP_HOME
COPY .env ./
COPY bin/ ./bin/
CMD ["./bin/app"]
