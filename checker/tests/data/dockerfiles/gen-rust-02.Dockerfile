# Corpus généré : Rust (final=debian:bookworm-slim, cache=False, user=nonroot)
ARG RUST_VERSION=1.80
FROM rust:${RUST_VERSION}-slim AS build
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
RUN cargo fetch
COPY . .
RUN cargo build --release && cp target/release/server /bin/server

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y ca-certificates curl gosu
COPY --from=build /bin/server /bin/
USER 65532:65532
CMD ["/bin/server"]
