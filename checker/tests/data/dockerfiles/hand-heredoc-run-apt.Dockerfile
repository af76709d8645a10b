# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y curl
EOF
USER nobody
CMD ["curl", "--version"]
