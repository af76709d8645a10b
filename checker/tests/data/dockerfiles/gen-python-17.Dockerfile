# Corpus généré : Python (base=python:3.12-slim, pip=mount, order=deps-first, user=root, cmd=quotes, multi=False, workdir=app)
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        make curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
EXPOSE 8000
USER root
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
