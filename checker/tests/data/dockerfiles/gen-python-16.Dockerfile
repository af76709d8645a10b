# Corpus généré : Python (base=python:3.13-alpine, pip=cache, order=sources-first, user=root, cmd=json, multi=True, workdir=app)
FROM python:3.13-alpine AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:3.13-alpine
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
USER root
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
