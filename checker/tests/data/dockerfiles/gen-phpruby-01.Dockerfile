# Corpus généré : PHP/Ruby (kind=php, user=www-data, casing=mixed)
FROM php:8.3-apache
RUN docker-php-ext-install pdo_mysql
run a2enmod rewrite
COPY composer.json composer.lock ./
RUN composer install --no-dev
COPY . /var/www/html/
USER www-data
EXPOSE 80
