# Corpus généré : Rust (final=gcr.io/distroless/cc-debian12, cache=True, user=none)
ARG RUST_VERSION=1.80
FROM rust:${RUST_VERSION}-slim AS build
WORKDIR /app
RUN --mount=type=bind,source=src,target=src \
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=cache,target=/app/target/ \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    cargo build --locked --release && cp ./target/release/server /bin/server

FROM gcr.io/distroless/cc-debian12
COPY --from=build /bin/server /bin/
CMD ["/bin/server"]
