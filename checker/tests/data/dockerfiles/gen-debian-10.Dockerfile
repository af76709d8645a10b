# Corpus généré : service Debian/Ubuntu (base=ubuntu:22.04, apt=split, download=file, cd=True, user=app, maintainer=False, workdir=/opt/tool)
FROM ubuntu:22.04
LABEL org.opencontainers.image.authors="cours@example.com"
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
ADD https://example.com/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz
RUN tar -xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
