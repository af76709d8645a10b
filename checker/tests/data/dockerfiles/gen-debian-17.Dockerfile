# Corpus généré : service Debian/Ubuntu (base=debian:trixie-slim, apt=dist-clean, download=file, cd=False, user=app, maintainer=True, workdir=tool)
FROM debian:trixie-slim
MAINTAINER Équipe cours <cours@example.com>
RUN apt-get update && apt-get install -y --no-install-recommends gosu tini && apt-get dist-clean
ADD https://example.com/tool-1.4.2-linux-amd64.tar.gz /tmp/tool.tar.gz
RUN tar -xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz
WORKDIR tool
COPY config.yaml /etc/tool/config.yaml
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 9000
CMD ["tool", "serve", "--config", "/etc/tool/config.yaml"]
