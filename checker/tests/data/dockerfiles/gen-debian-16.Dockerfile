# Corpus généré : service Debian/Ubuntu (base=ubuntu:22.04, apt=split, download=pipefail, cd=False, user=app, maintainer=True, workdir=tool)
FROM ubuntu:22.04
MAINTAINER Équipe cours <cours@example.com>
RUN apt-get update
RUN apt-get install -y --no-install-recommends wget gcc libpq-dev make && rm -rf /var/lib/apt/lists/*
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR tool
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
