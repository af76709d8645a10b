# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=apt, download=pipefail, cd=True, user=root, maintainer=True, workdir=/opt/tool)
FROM debian:12
MAINTAINER Équipe cours <cours@example.com>
ENV DEBIAN_FRONTEND=noninteractive
RUN apt update && apt install -y tini ca-certificates curl xz-utils && rm -rf /var/lib/apt/lists/*
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
COPY config.yaml /etc/tool/config.yaml
USER root
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
