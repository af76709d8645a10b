# Corpus généré : service Debian/Ubuntu (base=ubuntu:22.04, apt=apt, download=set-pipefail, cd=True, user=app, maintainer=True, workdir=tool)
FROM ubuntu:22.04
MAINTAINER Équipe cours <cours@example.com>
RUN apt update && apt install -y gosu curl gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN set -o pipefail && curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
