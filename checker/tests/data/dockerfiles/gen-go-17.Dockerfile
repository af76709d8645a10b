# Corpus généré : Go (base=golang:1.23-alpine, platform=const, mounts=split, final=alpine, user=none, stage_name=builder, as_case=as)
FROM --platform=linux/amd64 golang:1.23-alpine as builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM alpine
RUN apk add ca-certificates
COPY --from=builder /bin/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
