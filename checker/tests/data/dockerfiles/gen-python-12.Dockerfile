# Corpus généré : Python (base=${PY_IMAGE}, pip=mount, order=sources-first, user=numeric, cmd=quotes, multi=True, workdir=/srv/app)
ARG PY_VERSION=3.12
ARG PY_IMAGE=python:${PY_VERSION}-slim
FROM ${PY_IMAGE} AS builder
WORKDIR /build
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install --prefix=/install -r requirements.txt

FROM ${PY_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY --from=builder /install /usr/local
COPY . .
EXPOSE 8000
USER 10001:10001
CMD ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']
