# Corpus généré : Go (base=golang:1.22, platform=buildplatform, mounts=split, final=alpine:3.20, user=none, stage_name=Build, as_case=AS)
FROM --platform=$BUILDPLATFORM golang:1.22 AS Build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM alpine:3.20
RUN apk add --no-cache tini
COPY --from=build /bin/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
