FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/install.sh | sh
RUN echo 'a | b' > /tmp/x && false || true
RUN set -eux -o pipefail; wget -qO- https://example.com/x.tgz | tar xz
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
FROM alpine:3.20
SHELL ["/bin/ash", "-o", "pipefail", "-c"]
RUN wget -qO- https://example.com/x | tar xz
FROM alpine:3.20
RUN wget -qO- https://example.com/x | tar xz
USER nobody
CMD ["sh"]
