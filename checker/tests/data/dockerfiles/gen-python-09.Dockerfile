# Corpus généré : Python (base=${PY_IMAGE}, pip=env, order=deps-first, user=numeric, cmd=shell, multi=False, workdir=/srv/app)
ARG PY_VERSION=3.12
ARG PY_IMAGE=python:${PY_VERSION}-slim
FROM ${PY_IMAGE}
ENV PIP_NO_CACHE_DIR=1
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
USER 10001:10001
CMD gunicorn --bind 0.0.0.0:8000 app:app
