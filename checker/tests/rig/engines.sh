# shellcheck shell=bash
# Engines of the rig, sourced by prepare.sh and compat.sh (not run on its own).
#
# Debian bookworm's docker.io is 20.10: too old to be the engine the suite is proven on.
# Debian sid has Docker Engine 28.5, containerd 2.1, Compose v2 and buildx, whose binaries
# need only libc >= 2.34, so they run on bookworm as they are once unpacked. They are
# fetched with `apt-get download` from a private sources list (the system's apt sources,
# and its libc, are never touched: `apt-get install` of sid packages would upgrade libc)
# and unpacked with `dpkg -x` under target/rig/sid, once: later runs download nothing.
# runc comes from bookworm (sid's needs libc 2.38).

rig_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
rig_dir="$rig_root/target/rig"
rig_log_dir="${TMPDIR:-/tmp}/checker-rig"
# Sockets, pid files and exec roots (short paths: unix socket paths are limited to 108 bytes).
rig_run_dir=/run/checker-rig
rig_data_dir=/var/lib/checker-rig
mkdir -p "$rig_log_dir"

rig_say() { printf '[rig] %s\n' "$*"; }
rig_die() { printf '[rig] ERREUR : %s\n' "$*" >&2; exit 1; }

rig_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The sid packages unpacked for the rig: the engine, its CLI, containerd, the CLI plugins,
# and the static tini dockerd runs as `docker-init`.
rig_sid_packages=(docker.io docker-cli containerd docker-compose docker-buildx tini-static)

# The Debian mirror the machine's apt already uses, read from its sources at run time
# (one-line `.list` files and deb822 `.sources` files), so the rig asks no other host.
rig_mirror() {
  if [ -n "${RIG_DEBIAN_MIRROR:-}" ]; then printf '%s\n' "$RIG_DEBIAN_MIRROR"; return; fi
  local codename
  codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  [ -n "$codename" ] || rig_die "VERSION_CODENAME absent de /etc/os-release : définissez RIG_DEBIAN_MIRROR"
  local found=""
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    found="$(awk -v suite="$codename" '
      /^[ \t]*$/ { uris = ""; suites = "" }
      /^URIs:/ { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) suites = "yes" }
      uris != "" && suites == "yes" { print uris; exit }' "$file")"
    [ -n "$found" ] && break
  done
  if [ -z "$found" ]; then
    found="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -e 's/\[[^]]*\]//' \
      | awk -v suite="$codename" '$1 == "deb" && $3 == suite { print $2; exit }')"
  fi
  [ -n "$found" ] || rig_die "aucune source apt Debian « $codename » trouvée dans /etc/apt : définissez RIG_DEBIAN_MIRROR"
  printf '%s\n' "$found"
}

# Fetches and unpacks the sid packages into $rig_dir/sid/root (once).
rig_sid_fetch() {
  local sid="$rig_dir/sid"
  rig_sid_root="$sid/root"
  if [ -f "$sid/versions" ] && [ -x "$rig_sid_root/usr/sbin/dockerd" ]; then
    return
  fi
  local mirror
  mirror="$(rig_mirror)"
  rig_say "téléchargement de Docker Engine, Compose et buildx (Debian sid, dpkg -x dans target/rig/sid)"
  rm -rf "$sid"
  mkdir -p "$sid/apt/lists/partial" "$sid/apt/cache/archives/partial" "$sid/debs" "$rig_sid_root"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' "$mirror" \
    >"$sid/apt/sources.list"
  local apt_opts=(
    -o "Dir::Etc::sourcelist=$sid/apt/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$sid/apt/lists"
    -o "Dir::Cache=$sid/apt/cache"
    -o "APT::Sandbox::User=root"
  )
  apt-get "${apt_opts[@]}" -qq update >"$rig_log_dir/sid-apt.log" 2>&1 \
    || { cat "$rig_log_dir/sid-apt.log"; rig_die "apt-get update (sid) a échoué"; }
  (cd "$sid/debs" && apt-get "${apt_opts[@]}" -qq download "${rig_sid_packages[@]}") \
    >>"$rig_log_dir/sid-apt.log" 2>&1 \
    || { cat "$rig_log_dir/sid-apt.log"; rig_die "apt-get download (sid) a échoué"; }
  local deb
  for deb in "$sid"/debs/*.deb; do
    dpkg -x "$deb" "$rig_sid_root"
    dpkg-deb -f "$deb" Package Version | paste -sd' ' >>"$sid/versions.tmp"
  done
  # The package lists and the .deb files are no longer needed once unpacked.
  rm -rf "$sid/apt" "$sid/debs"
  mv "$sid/versions.tmp" "$sid/versions"
}

# A folder of links to the sid binaries, for PATH: the 28.5 CLI for the tests and the
# solution scripts, and dockerd's helpers (containerd, its shim, docker-proxy, docker-init).
rig_sid_bin() {
  rig_sid_fetch
  rig_bin="$rig_dir/bin"
  mkdir -p "$rig_bin"
  local name
  for name in usr/bin/docker usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd \
    usr/bin/containerd-shim-runc-v2 usr/bin/ctr; do
    ln -sfn "$rig_sid_root/$name" "$rig_bin/$(basename "$name")"
  done
  ln -sfn "$rig_sid_root/usr/bin/tini-static" "$rig_bin/docker-init"
  rig_plugins="$rig_sid_root/usr/libexec/docker/cli-plugins"
}

# Makes Compose and buildx visible to every docker CLI of this user (the tests and the
# solution scripts run `docker compose` with the user's HOME). A plugin the user installed
# is left alone; links made by an earlier run of the rig are refreshed.
rig_install_plugins() {
  local dir="${HOME:-/root}/.docker/cli-plugins"
  mkdir -p "$dir"
  local plugin
  for plugin in docker-compose docker-buildx; do
    if [ -e "$dir/$plugin" ] && [ ! -L "$dir/$plugin" ]; then
      rig_say "$dir/$plugin existe déjà (non géré par le banc) : conservé"
      continue
    fi
    ln -sfn "$rig_plugins/$plugin" "$dir/$plugin"
  done
}

rig_version() {
  DOCKER_HOST="unix://$1" docker version --format '{{.Server.Version}}' 2>/dev/null
}

# Waits until the engine on socket $1 answers (at most $2 seconds), giving up early
# when process $3 (if given) has exited.
rig_wait() {
  local socket="$1" limit="${2:-60}" pid="${3:-}"
  local i
  for i in $(seq 1 $((limit * 4))); do
    rig_version "$socket" >/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.25
  done
  return 1
}

# Starts a dockerd unless one already answers on its socket.
#   rig_dockerd NAME SOCKET DOCKERD_PATH_DIRS [dockerd arguments...]
# NAME keys its data root, exec root, pid file and log; PATH_DIRS is the PATH dockerd
# finds containerd, runc and docker-proxy in. Set RIG_NETNS to run it in that network
# namespace (its own bridge and iptables rules, out of the host's way).
rig_dockerd() {
  local name="$1" socket="$2" path_dirs="$3"
  shift 3
  rig_version "$socket" >/dev/null && return 0
  local run="$rig_run_dir/$name" data="$rig_data_dir/$name"
  rig_sudo mkdir -p "$run" "$data" "$(dirname "$socket")"
  local config="$run/daemon.json"
  [ -f "$config" ] || printf '{}\n' | rig_sudo tee "$config" >/dev/null
  local netns=()
  # nsenter, not `ip netns exec`: the latter mounts a fresh /sys, hiding the cgroups.
  [ -n "${RIG_NETNS:-}" ] && netns=(nsenter "--net=/run/netns/$RIG_NETNS")
  local log="$rig_log_dir/$name-dockerd.log"
  # dockerd refuses to start over a pid file whose pid runs (reused since the machine's
  # last life): nothing answers on the socket, so the file is stale.
  rig_sudo rm -f "$run/dockerd.pid" "$run/exec/containerd/containerd.pid"
  rig_say "démarrage de dockerd « $name » sur $socket (journal : $log)"
  rig_daemon "$run/launcher.pid" "$log" env PATH="$path_dirs:/usr/sbin:/usr/bin:/sbin:/bin" \
    "${netns[@]}" dockerd --host "unix://$socket" --data-root "$data" --exec-root "$run/exec" \
    --pidfile "$run/dockerd.pid" --config-file "$config" "$@"
  if ! rig_wait "$socket" 90 "$(cat "$run/launcher.pid")"; then
    tail -n 40 "$log" >&2
    rig_die "dockerd « $name » ne répond pas sur $socket"
  fi
}

# Runs a command as a daemon: detached from this shell's session and from every file it
# holds open (a daemon that inherits the pipe of `prepare.sh | tee` would keep it open
# forever), output to LOG, its pid in PIDFILE.
#   rig_daemon PIDFILE LOG COMMAND [ARGS...]
rig_daemon() {
  local pidfile="$1" log="$2"
  shift 2
  local program
  program="$(command -v "$1")" || rig_die "programme introuvable : $1"
  shift
  rig_sudo mkdir -p "$(dirname "$pidfile")"
  # Only called when the service does not answer: a pid file left by an earlier life of
  # the machine is stale, and its pid may now be someone else's ("already running").
  rig_sudo rm -f "$pidfile"
  rig_sudo start-stop-daemon --start --background --make-pidfile --pidfile "$pidfile" \
    --output "$log" --startas "$program" -- "$@"
}

# Stops the dockerd of NAME (its pid file), waiting for it to exit.
rig_stop() {
  local pidfile="$rig_run_dir/$1/dockerd.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  rig_sudo kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  rig_sudo kill -9 "$pid" 2>/dev/null || true
}

# Builds the stand-in images on the engine DOCKER_HOST names (or the default one): Docker
# Hub is out of reach here, so each is built offline from Debian's static busybox, with
# BuildKit where the engine and buildx allow it (a student's default), else the legacy
# builder. Each stand-in also gets a `standin/...` tag, so tests can delete the public
# tags (`docker rmi nginx:1.21-alpine`) and restore them without a registry.
rig_standins() {
  local standins="$rig_root/checker/tests/rig/standins"
  rig_build() {
    local dir="$1"; shift
    local context
    context="$(mktemp -d)"
    cp -r "$standins/$dir/." "$context/"
    cp /bin/busybox "$context/busybox"
    local tags=() tag
    for tag in "$@"; do tags+=(-t "$tag"); done
    if ! docker build -q "${tags[@]}" "$context" >/dev/null 2>"$rig_log_dir/build-$dir.log" \
      && ! DOCKER_BUILDKIT=0 docker build -q "${tags[@]}" "$context" >/dev/null 2>>"$rig_log_dir/build-$dir.log"; then
      cat "$rig_log_dir/build-$dir.log"; rm -rf "$context"; rig_die "construction de l'image $dir"
    fi
    rm -rf "$context"
  }
  rig_build busybox busybox:latest standin/busybox:latest
  rig_build alpine alpine:latest alpine:3.20 standin/alpine:latest
  rig_build nginx nginx:latest nginx:1.21-alpine nginx:alpine standin/nginx:latest
  rig_build hello-world hello-world:latest standin/hello-world:latest
  rig_build httpd httpd:alpine standin/httpd:alpine
  rig_build redis redis:latest standin/redis:latest
  rig_build python python:3.12-slim standin/python:3.12-slim
  rig_build ubuntu ubuntu:22.04 standin/ubuntu:22.04
  rig_build postgres postgres:17-alpine postgres:16-alpine standin/postgres:17-alpine
  # Last: node:24 builds on the node:24-alpine stand-in.
  rig_build node node:24-alpine standin/node:24-alpine
  rig_build node-full node:24 standin/node:24
  # Rebuilt stand-ins leave their previous version untagged: drop those.
  docker image prune -f --filter label=io.github.cours-docker.standin=true >/dev/null
}

# Starts Debian's docker-registry on ADDR unless something answers there already.
#   rig_registry NAME ADDR    (RIG_NETNS: in that network namespace)
rig_registry() {
  local name="$1" addr="$2"
  local enter=()
  [ -n "${RIG_NETNS:-}" ] && enter=(nsenter "--net=/run/netns/$RIG_NETNS")
  local url="http://$addr/v2/"
  "${enter[@]}" curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
  rig_say "démarrage du registre local sur $addr"
  local dir="$rig_log_dir/registry-$name"
  mkdir -p "$dir/data"
  cat >"$dir/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
YAML
  rig_daemon "$rig_run_dir/registry-$name.pid" "$dir/registry.log" \
    "${enter[@]}" docker-registry serve "$dir/registry.yml"
  local i
  for i in $(seq 1 40); do
    "${enter[@]}" curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.25
  done
  tail -n 20 "$dir/registry.log" >&2
  rig_die "le registre local ne répond pas sur $addr"
}
