# Corpus généré : Python (base=python:latest, pip=mount, order=deps-first, user=root, cmd=quotes, multi=False, workdir=app)
FROM python:latest
WORKDIR app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
EXPOSE 8000
USER root
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
