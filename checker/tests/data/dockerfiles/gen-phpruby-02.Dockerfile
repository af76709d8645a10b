# Corpus généré : PHP/Ruby (kind=ruby, user=www-data, casing=upper)
FROM ruby:3.3-slim
WORKDIR /app
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends xz-utils libpq-dev wget; \
    rm -rf /var/lib/apt/lists/*
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
EXPOSE 3000
USER nobody
CMD ["bundle", "exec", "puma"]
