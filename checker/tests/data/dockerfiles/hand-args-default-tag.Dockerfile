ARG TAG
FROM python:${TAG:-3.12}
FROM localhost:5000/app:1.2
USER nobody
CMD ["python"]
