# Corpus généré : service Debian/Ubuntu (base=debian:12, apt=chained, download=file, cd=True, user=none, maintainer=True, workdir=tool)
FROM debian:12
MAINTAINER Équipe cours <cours@example.com>
RUN apt-get update && apt-get install -y --no-install-recommends \
        gcc ca-certificates gosu wget \
 && rm -rf /var/lib/apt/lists/*
ADD https://example.com/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz
RUN tar -xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz
WORKDIR tool
RUN cd /opt/tool && ./configure && make
COPY config.yaml /etc/tool/config.yaml
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
