# Corpus généré : Go (base=golang:1.22, platform=buildplatform, mounts=none, final=distroless, user=numeric, stage_name=Build, as_case=as)
FROM --platform=$BUILDPLATFORM golang:1.22 as Build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN go mod download
RUN go build -o /bin/server .

FROM gcr.io/distroless/static-debian12
COPY --from=build /bin/server /server
EXPOSE 8080
USER 65532
ENTRYPOINT ["/server"]
