# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=no-clean, download=pipe, cd=True, user=none, maintainer=True, workdir=/opt/tool)
FROM debian:12
MAINTAINER Équipe cours <cours@example.com>
RUN apt-get update && apt-get install -y git gcc
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
