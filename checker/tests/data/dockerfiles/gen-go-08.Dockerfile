# Corpus généré : Go (base=golang, platform=const, mounts=cache, final=alpine, user=none, stage_name=builder, as_case=as)
FROM --platform=linux/amd64 golang as builder
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 go build -o /bin/server ./cmd/server

FROM alpine
RUN apk update && apk add git su-exec && rm -rf /var/cache/apk/*
COPY --from=builder /bin/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
