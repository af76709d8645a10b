# Corpus généré : Python (base=python:3.12-slim, pip=mount, order=sources-first, user=numeric, cmd=entry, multi=False, workdir=/srv/app)
FROM python:3.12-slim
WORKDIR /srv/app
COPY . .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
EXPOSE 8000
USER 10001:10001
ENTRYPOINT ["gunicorn"]
CMD ["--bind", "0.0.0.0:8000", "app:app"]
