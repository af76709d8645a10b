FROM alpine:3.20 AS build
USER root
RUN echo build
FROM build
USER 0:0
CMD ["sh"]
