# Corpus généré : Go (base=golang:1.22-bookworm, platform=buildplatform, mounts=cache, final=scratch, user=nonroot, stage_name=Build, as_case=as)
FROM --platform=$BUILDPLATFORM golang:1.22-bookworm as Build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 go build -o /bin/server ./cmd/server

FROM scratch
COPY --from=build /bin/server /server
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT /server
