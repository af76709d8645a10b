# Corpus généré : PHP/Ruby (kind=php, user=none, casing=upper)
FROM php:8.3-apache
RUN docker-php-ext-install pdo_mysql
RUN a2enmod rewrite
COPY composer.json composer.lock ./
RUN composer install --no-dev
COPY . /var/www/html/
EXPOSE 80
