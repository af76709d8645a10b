# Corpus généré : PHP/Ruby (kind=ruby, user=www-data, casing=mixed)
FROM ruby:3.3-slim
WORKDIR /app
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates gosu curl; \
    rm -rf /var/lib/apt/lists/*
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
Expose 3000
USER nobody
CMD ["bundle", "exec", "puma"]
