FROM alpine:3.20 AS base
WORKDIR src
WORKDIR /app
WORKDIR lib
FROM base
WORKDIR more
WORKDIR $HOME/data
WORKDIR "/quoted"
USER nobody
CMD ["sh"]
