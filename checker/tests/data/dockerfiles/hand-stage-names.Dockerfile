FROM golang:1.22 AS Build
RUN go version
FROM golang:1.22 as build
RUN go env
FROM alpine:3.20 AS scratch
FROM alpine:3.20 AS context
FROM alpine:3.20
COPY --from=build /go /go
USER nobody
CMD ["sh"]
