# Corpus généré : Python (base=python:3.11-slim-bookworm, pip=no-cache, order=deps-first, user=app, cmd=json, multi=False, workdir=app)
FROM python:3.11-slim-bookworm
WORKDIR app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
