# Corpus généré : Go (base=golang, platform=const, mounts=none, final=alpine, user=nonroot, stage_name=Build, as_case=as)
FROM --platform=linux/amd64 golang as Build
WORKDIR /src
COPY . .
RUN go mod download
RUN go build -o /bin/server .

FROM alpine
RUN apk add curl build-base su-exec
COPY --from=build /bin/server /server
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT /server
