FROM debian:trixie-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && apt-get dist-clean
USER nobody
CMD ["curl", "--version"]
