#!/usr/bin/env bash
# The floor for exercise 2.1: only the two requests its five facts need, with curl —
# one to the Docker socket for the container, one to the page. Nothing is compared.
set -u
curl -fsS --unix-socket /var/run/docker.sock http://localhost/containers/mon-serveur-nginx/json >/dev/null \
  && curl -fsS http://localhost:8080/ >/dev/null
