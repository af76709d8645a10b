# Corpus généré : service Debian/Ubuntu (base=ubuntu:24.04, apt=cache-mount, download=pipe, cd=True, user=none, maintainer=True, workdir=tool)
FROM ubuntu:24.04
MAINTAINER Équipe cours <cours@example.com>
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends xz-utils
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR tool
RUN cd /opt/tool && ./configure && make
COPY config.yaml /etc/tool/config.yaml
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
