# Corpus généré : Python (base=python:3.13-alpine, pip=no-cache, order=deps-first, user=numeric, cmd=entry, multi=False, workdir=/srv/app)
FROM python:3.13-alpine
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
USER 10001:10001
ENTRYPOINT ["gunicorn"]
CMD ["--bind", "0.0.0.0:8000", "app:app"]
