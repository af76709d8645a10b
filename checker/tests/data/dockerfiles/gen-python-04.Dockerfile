# Corpus généré : Python (base=python:latest, pip=no-cache, order=sources-first, user=numeric, cmd=json, multi=False, workdir=app)
FROM python:latest
WORKDIR app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8000
USER 10001:10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
