# Corpus généré : Alpine (base=alpine:latest, apk=mixed, user=app, secret=env, env_form=legacy)
FROM alpine:latest
ENV API_KEY=changeme
ENV APP_HOME /srv/app
RUN apk add build-base libffi-dev ca-certificates && pip install --no-cache-dir wheel
WORKDIR $APP_HOME
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
CMD ["./bin/app"]
