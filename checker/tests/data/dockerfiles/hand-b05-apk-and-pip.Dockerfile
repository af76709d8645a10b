FROM python:3.12-alpine
RUN apk add build-base && pip install --no-cache-dir flask
USER nobody
CMD ["flask", "run"]
