# Corpus généré : service Debian/Ubuntu (base=debian:trixie-slim, apt=chained, download=pipefail, cd=False, user=app, maintainer=True, workdir=/opt/tool)
FROM debian:trixie-slim
MAINTAINER Équipe cours <cours@example.com>
RUN apt-get update && apt-get install -y --no-install-recommends \
        xz-utils gcc gosu git \
 && rm -rf /var/lib/apt/lists/*
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
