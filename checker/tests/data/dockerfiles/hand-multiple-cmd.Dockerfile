FROM alpine:3.20 AS base
CMD ["echo", "base"]
ENTRYPOINT ["/bin/sh"]
ENTRYPOINT ["/bin/ash", "-c"]
HEALTHCHECK CMD true
HEALTHCHECK CMD wget -qO- http://localhost/ || exit 1
CMD ["echo", "one"]
CMD ["echo", "two"]

FROM base
CMD ["echo", "final"]
USER nobody
