# Corpus généré : service Debian/Ubuntu (base=debian:bookworm-slim, apt=clean, download=pipefail, cd=True, user=app, maintainer=False, workdir=tool)
FROM debian:bookworm-slim
LABEL org.opencontainers.image.authors="cours@example.com"
ENV DEBIAN_FRONTEND=noninteractive
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends git gcc; \
    rm -rf /var/lib/apt/lists/*
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR tool
RUN cd /opt/tool && ./configure && make
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
