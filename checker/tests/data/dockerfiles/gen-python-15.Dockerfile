# Corpus généré : Python (base=python, pip=cache, order=deps-first, user=numeric, cmd=quotes, multi=True, workdir=/srv/app)
FROM python AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
USER 10001:10001
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
