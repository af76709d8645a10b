FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /hello .
FROM scratch
COPY --from=build /hello /hello
ENV PATH=/bin:$PATH
USER 65534
ENTRYPOINT ["/hello"]
