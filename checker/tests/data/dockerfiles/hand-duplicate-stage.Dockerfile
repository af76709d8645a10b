ARG BASE=alpine:3.20
FROM ${BASE} AS build
RUN echo one > /one
FROM ${BASE} AS build
RUN echo two > /two
FROM ${BASE}
COPY --from=build /two /two
USER nobody
CMD ["cat", "/two"]
