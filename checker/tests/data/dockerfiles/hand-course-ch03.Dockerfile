FROM python:3.12-slim
WORKDIR /app
COPY app.py .
ENV MESSAGE_PERSO="Bonjour depuis le conteneur"
CMD ["python", "app.py"]
