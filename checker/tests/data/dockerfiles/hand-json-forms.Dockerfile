FROM python:3.12-slim
ENTRYPOINT ['python']
CMD ["app.py"]
FROM python:3.12-slim
SHELL ["/bin/bash", "-c"]
CMD python app.py
FROM python:3.12-slim
ENTRYPOINT python -m app
USER nobody
