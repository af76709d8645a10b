# Corpus généré : service Debian/Ubuntu (base=debian:trixie-slim, apt=apt, download=pipe, cd=False, user=root, maintainer=True, workdir=/opt/tool)
FROM debian:trixie-slim
MAINTAINER Équipe cours <cours@example.com>
RUN apt update && apt install -y make git gcc && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
ADD config.yaml /etc/tool/config.yaml
USER root
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
