FROM debian:bookworm-slim
RUN --mount=type=tmpfs,target=/var/lib/apt/lists \
    apt-get update && apt-get install -y --no-install-recommends curl
USER nobody
CMD ["curl", "--version"]
