FROM python:3.12-slim
ONBUILD COPY . /app
ONBUILD RUN pip install -r /app/requirements.txt
STOPSIGNAL SIGTERM
VOLUME ["/data"]
USER nobody
CMD ["python"]
