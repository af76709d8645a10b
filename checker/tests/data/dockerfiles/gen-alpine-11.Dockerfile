# Corpus généré : Alpine (base=busybox:1.36, apk=update, user=app, secret=arg, env_form=modern)
FROM busybox:1.36
ARG GITHUB_TOKEN
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
COPY bin/ ./bin/
RUN addgroup -S app && adduser -S app -G app
USER app
CMD ["./bin/app"]
