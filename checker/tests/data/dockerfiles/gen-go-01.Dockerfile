# Corpus généré : Go (base=golang:1.22, platform=buildplatform, mounts=split, final=alpine, user=numeric, stage_name=builder, as_case=AS)
FROM --platform=$BUILDPLATFORM golang:1.22 AS builder
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM alpine
RUN apk update && apk add su-exec tini && rm -rf /var/cache/apk/*
COPY --from=builder /bin/server /server
EXPOSE 8080
USER 65532
ENTRYPOINT ["/server"]
