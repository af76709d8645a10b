# Corpus généré : Python (base=python:3.11-slim-bookworm, pip=no-cache, order=sources-first, user=app, cmd=shell, multi=False, workdir=/srv/app)
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8000
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
CMD gunicorn --bind 0.0.0.0:8000 app:app
