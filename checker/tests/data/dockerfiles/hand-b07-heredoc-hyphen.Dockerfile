# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<END-OF-SCRIPT
set -e
apk add --no-cache curl
END-OF-SCRIPT
USER nobody
CMD ["curl", "--version"]
