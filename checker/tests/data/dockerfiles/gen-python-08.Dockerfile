# Corpus généré : Python (base=python:3.12-slim, pip=no-cache, order=sources-first, user=none, cmd=quotes, multi=True, workdir=app)
FROM python:3.12-slim AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
