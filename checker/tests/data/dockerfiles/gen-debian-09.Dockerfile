# Corpus généré : service Debian/Ubuntu (base=ubuntu:24.04, apt=cache-mount, download=pipefail, cd=True, user=none, maintainer=False, workdir=/opt/tool)
FROM ubuntu:24.04
LABEL org.opencontainers.image.authors="cours@example.com"
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends libpq-dev make xz-utils wget
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
