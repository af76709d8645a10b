# Corpus généré : Python (base=python, pip=cache, order=sources-first, user=none, cmd=shell, multi=True, workdir=/app)
FROM python AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
CMD gunicorn --bind 0.0.0.0:8000 app:app
