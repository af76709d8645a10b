# Corpus généré : Go (base=golang, platform=buildplatform, mounts=split, final=distroless, user=none, stage_name=build, as_case=AS)
FROM --platform=$BUILDPLATFORM golang AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM gcr.io/distroless/static-debian12
COPY --from=build /bin/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
