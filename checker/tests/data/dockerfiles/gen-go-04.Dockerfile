# Corpus généré : Go (base=golang, platform=none, mounts=none, final=alpine:3.20, user=nonroot, stage_name=Build, as_case=AS)
FROM golang AS Build
WORKDIR /src
COPY . .
RUN go mod download
RUN go build -o /bin/server .

FROM alpine:3.20
RUN apk add --no-cache libffi-dev
COPY --from=build /bin/server /server
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/server"]
