FROM alpine:3.20
ADD https://example.com/file.txt /opt/
ADD rootfs.tar.xz /
ADD --chown=nobody app/ /app/
ADD ["site.tgz", "/srv/"]
ADD git@github.com:example/repo.git /src
ADD config.json /etc/app/
USER nobody
CMD ["sh"]
