FROM alpine:3.20

RUN set -eux; \
	addgroup -g 101 -S nginx; \
	adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx

ENV NGINX_VERSION 1.27.2

RUN set -x \
    && apkArch="$(cat /etc/apk/arch)" \
    && apk add --no-cache --virtual .checksum-deps \
        openssl \
    && apk add --no-cache \
        curl ca-certificates \
    && apk del --no-network .checksum-deps \
    && ln -sf /dev/stdout /var/log/nginx/access.log

COPY docker-entrypoint.sh /
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
