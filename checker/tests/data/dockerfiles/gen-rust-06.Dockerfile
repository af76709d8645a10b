# Corpus généré : Rust (final=debian:bookworm-slim, cache=True, user=nonroot)
ARG RUST_VERSION=1.80
FROM rust:${RUST_VERSION}-slim AS build
WORKDIR /app
RUN --mount=type=bind,source=src,target=src \
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=cache,target=/app/target/ \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    cargo build --locked --release && cp ./target/release/server /bin/server

FROM debian:bookworm-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends xz-utils ca-certificates libpq-dev; \
    rm -rf /var/lib/apt/lists/*
COPY --from=build /bin/server /bin/
USER 65532:65532
CMD ["/bin/server"]
