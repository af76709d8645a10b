# Corpus généré : service Debian/Ubuntu (base=debian:bookworm-slim, apt=cache-mount, download=pipe, cd=False, user=app, maintainer=True, workdir=tool)
FROM debian:bookworm-slim
MAINTAINER Équipe cours <cours@example.com>
ENV DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gcc
RUN curl -fsSL https://example.com/tool-1.4.2-linux-amd64.tar.gz | tar -xz -C /usr/local/bin
WORKDIR tool
ADD config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD tool serve --config /etc/tool/config.yaml
