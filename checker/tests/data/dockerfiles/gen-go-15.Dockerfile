# Corpus généré : Go (base=golang:1.22-bookworm, platform=const, mounts=cache, final=distroless, user=numeric, stage_name=build, as_case=as)
FROM --platform=linux/amd64 golang:1.22-bookworm as build
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 go build -o /bin/server ./cmd/server

FROM gcr.io/distroless/static-debian12
COPY --from=build /bin/server /server
EXPOSE 8080
USER 65532
ENTRYPOINT ["/server"]
