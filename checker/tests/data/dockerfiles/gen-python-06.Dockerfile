# Corpus généré : Python (base=python, pip=no-cache, order=deps-first, user=numeric, cmd=quotes, multi=False, workdir=/app)
FROM python
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends gosu xz-utils gcc; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
USER 10001:10001
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
