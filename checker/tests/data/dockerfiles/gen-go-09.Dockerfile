# Corpus généré : Go (base=golang, platform=const, mounts=split, final=scratch, user=numeric, stage_name=Build, as_case=as)
FROM --platform=linux/amd64 golang as Build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM scratch
COPY --from=build /bin/server /server
EXPOSE 8080
USER 65532
ENTRYPOINT ["/server"]
