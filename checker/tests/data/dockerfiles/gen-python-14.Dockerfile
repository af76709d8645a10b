# Corpus généré : Python (base=python, pip=mount, order=deps-first, user=numeric, cmd=entry, multi=False, workdir=/app)
FROM python
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
EXPOSE 8000
USER 10001:10001
ENTRYPOINT ["gunicorn"]
CMD ["--bind", "0.0.0.0:8000", "app:app"]
