# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=chained, download=file, cd=False, user=root, maintainer=True, workdir=/opt/tool)
FROM debian:12
MAINTAINER Équipe cours <cours@example.com>
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        curl libpq-dev wget tini \
 && rm -rf /var/lib/apt/lists/*
ADD https://example.com/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz
RUN tar -xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz
WORKDIR /opt/tool
COPY config.yaml /etc/tool/config.yaml
USER root
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
