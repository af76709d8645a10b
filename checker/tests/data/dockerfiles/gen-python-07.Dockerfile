# Corpus généré : Python (base=python:latest, pip=cache, order=sources-first, user=numeric, cmd=json, multi=True, workdir=app)
FROM python:latest AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:latest
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
USER 10001:10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
