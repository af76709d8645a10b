FROM alpine:3.20
ENV LANG C.UTF-8
ENV PATH /opt/bin:$PATH
LABEL description Une application de démonstration
LABEL version=1.0 maintainer="cours@example.com"
MAINTAINER cours@example.com
USER nobody
CMD ["sh"]
