FROM python:3.12-slim
RUN <<one cat >/tmp/a && <<two cat >/tmp/b
premier
one
second
two
USER nobody
CMD ["python", "-c", "print(1)"]
