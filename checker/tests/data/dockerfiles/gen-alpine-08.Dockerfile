# Corpus généré : Alpine (base=busybox:1.36, apk=virtual, user=app, secret=env, env_form=legacy)
FROM busybox:1.36
ENV API_KEY=changeme
ENV APP_HOME /srv/app
WORKDIR $APP_HOME
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
CMD ["./bin/app"]
