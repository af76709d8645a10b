# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=no-clean, download=pipefail, cd=True, user=app, maintainer=True, workdir=tool)
FROM debian:12
MAINTAINER Équipe cours <cours@example.com>
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y wget gcc libpq-dev git
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
