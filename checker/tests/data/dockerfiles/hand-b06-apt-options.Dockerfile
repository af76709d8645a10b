FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get -o Dpkg::Options::=--force-confnew install -y curl \
 && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["curl", "--version"]
