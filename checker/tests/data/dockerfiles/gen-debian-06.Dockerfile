# Corpus généré : service Debian/Ubuntu (base=debian:trixie-slim, apt=split, download=set-pipefail, cd=False, user=app, maintainer=True, workdir=/opt/tool)
FROM debian:trixie-slim
MAINTAINER Équipe cours <cours@example.com>
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
RUN set -o pipefail && curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
COPY config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
