# Corpus généré : service Debian/Ubuntu (base=ubuntu, apt=chained, download=set-pipefail, cd=True, user=none, maintainer=True, workdir=/opt/tool)
FROM ubuntu
MAINTAINER Équipe cours <cours@example.com>
RUN apt-get update && apt-get install -y --no-install-recommends \
        make gosu \
 && rm -rf /var/lib/apt/lists/*
RUN set -o pipefail && curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
COPY config.yaml /etc/tool/config.yaml
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
