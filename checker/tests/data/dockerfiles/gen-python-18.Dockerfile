# Corpus généré : Python (base=python:3.11-slim-bookworm, pip=env, order=deps-first, user=root, cmd=quotes, multi=False, workdir=app)
FROM python:3.11-slim-bookworm
ENV PIP_NO_CACHE_DIR=1
WORKDIR app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
USER root
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
