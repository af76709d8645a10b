FROM alpine:3.20
RUN apk add --no-cache curl \
    bash
USER nobody
CMD ["sh"]
