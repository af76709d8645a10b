# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=no-clean, download=set-pipefail, cd=True, user=none, maintainer=False, workdir=/opt/tool)
FROM debian:12
LABEL org.opencontainers.image.authors="cours@example.com"
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y git
RUN set -o pipefail && curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
COPY config.yaml /etc/tool/config.yaml
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
