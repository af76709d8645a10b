# Corpus généré : Alpine (base=alpine:3.20, apk=mixed, user=none, secret=env, env_form=modern)
FROM alpine:3.20
ENV API_KEY=changeme
ENV APP_HOME=/srv/app
RUN apk add git && pip install --no-cache-dir wheel
WORKDIR $APP_HOME
COPY bin/ ./bin/
CMD ["./bin/app"]
