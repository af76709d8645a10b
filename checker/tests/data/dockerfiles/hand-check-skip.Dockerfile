# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended,FromAsCasing
FROM alpine:3.20 as base
USER nobody
CMD echo hi
