# Corpus généré : Go (base=golang:1.22-bookworm, platform=buildplatform, mounts=none, final=alpine, user=numeric, stage_name=Build, as_case=as)
FROM --platform=$BUILDPLATFORM golang:1.22-bookworm as Build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN go mod download
RUN go build -o /bin/server .

FROM alpine
RUN apk add --no-cache libffi-dev git build-base
COPY --from=build /bin/server /server
EXPOSE 8080
USER 65532
ENTRYPOINT /server
