# Corpus généré : service Debian/Ubuntu (base=debian:trixie-slim, apt=cache-mount, download=set-pipefail, cd=True, user=app, maintainer=False, workdir=/opt/tool)
FROM debian:trixie-slim
LABEL org.opencontainers.image.authors="cours@example.com"
ENV DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends wget curl ca-certificates
RUN set -o pipefail && curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR /opt/tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
