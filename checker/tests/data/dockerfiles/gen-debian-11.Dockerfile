# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=apt, download=pipefail, cd=False, user=root, maintainer=False, workdir=/opt/tool)
FROM debian:12
LABEL org.opencontainers.image.authors="cours@example.com"
ENV DEBIAN_FRONTEND=noninteractive
RUN apt update && apt install -y wget git ca-certificates && rm -rf /var/lib/apt/lists/*
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
COPY config.yaml /etc/tool/config.yaml
USER root
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
