# Corpus généré : Python (base=python:3.11-slim-bookworm, pip=env, order=deps-first, user=root, cmd=json, multi=True, workdir=/srv/app)
FROM python:3.11-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
USER root
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
