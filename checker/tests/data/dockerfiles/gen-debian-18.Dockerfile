# Corpus généré : service Debian/Ubuntu (base=ubuntu:24.04, apt=no-clean, download=set-pipefail, cd=True, user=root, maintainer=True, workdir=/opt/tool)
FROM ubuntu:24.04
MAINTAINER Équipe cours <cours@example.com>
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y make tini xz-utils
RUN set -o pipefail && curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
USER root
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
