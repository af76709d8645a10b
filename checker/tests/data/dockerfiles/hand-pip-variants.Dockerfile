FROM python:3.12-slim
RUN pip install --upgrade pip
RUN pip3 install --no-cache-dir requests
RUN python3 -m pip install flask
RUN pipx install poetry
RUN pip install --user -r requirements.txt --no-cache-dir
RUN pipenv install --system
USER nobody
CMD ["python3"]
