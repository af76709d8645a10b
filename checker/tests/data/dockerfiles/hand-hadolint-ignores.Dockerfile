FROM debian:bookworm-slim
# hadolint ignore=DL3008,DL3015,DL3009
RUN apt-get update && apt-get install -y curl
# hadolint ignore=DL3059
RUN echo one
# hadolint global ignore=DL3025
CMD echo hi
USER nobody
