# Corpus généré : Go (base=golang, platform=none, mounts=none, final=scratch, user=none, stage_name=build, as_case=AS)
FROM golang AS build
WORKDIR /src
COPY . .
RUN go mod download
RUN go build -o /bin/server .

FROM scratch
COPY --from=build /bin/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
