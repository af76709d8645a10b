# Corpus généré : Go (base=golang, platform=none, mounts=none, final=distroless, user=numeric, stage_name=Build, as_case=as)
FROM golang as Build
WORKDIR /src
COPY . .
RUN go mod download
RUN go build -o /bin/server .

FROM gcr.io/distroless/static-debian12
COPY --from=build /bin/server /server
EXPOSE 8080
USER 65532
ENTRYPOINT /server
