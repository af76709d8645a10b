FROM alpine:3.20
RUN apk add --no-cache \

    curl \
    # un commentaire
    bash
USER nobody
CMD ["sh"]
