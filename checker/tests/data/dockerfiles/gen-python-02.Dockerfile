# Corpus généré : Python (base=python:3.12-slim, pip=cache, order=deps-first, user=root, cmd=json, multi=False, workdir=/app)
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
USER root
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
