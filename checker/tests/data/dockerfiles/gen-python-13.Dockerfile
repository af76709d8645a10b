# Corpus généré : Python (base=python:3.11-slim-bookworm, pip=cache, order=deps-first, user=app, cmd=quotes, multi=True, workdir=/srv/app)
FROM python:3.11-slim-bookworm AS builder
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
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
