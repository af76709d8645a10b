FROM debian:bookworm-slim
RUN apt-get update && apt-get ins\
tall -y curl && rm -rf /var/lib/apt/lists/*
USER nobody
CMD ["curl"]
