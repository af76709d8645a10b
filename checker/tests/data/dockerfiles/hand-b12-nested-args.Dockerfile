ARG V=latest
ARG IMG=python:${V}
FROM ${IMG}
ARG UID=0
USER ${UID}
CMD ["python"]
