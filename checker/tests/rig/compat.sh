#!/usr/bin/env bash
# The engines' compatibility job: the checker against the engines students and
# instructors really use, each on its own socket and in its own network namespace (its
# bridge, iptables rules, published ports and local registry stay out of the host's way):
#   moteur-28      Docker Engine 28.5 (sid), overlay2: the suite's own engine, as reference
#   api-1.44       the same, refusing clients below API 1.44 as Engine 29 does
#                  (DOCKER_MIN_API_VERSION)
#   moteur-20      Docker 20.10 from Debian bookworm (API 1.41)
#   containerd     Engine 28.5 with the containerd image store (features.containerd-snapshotter)
#   podman         Podman from bookworm, its Docker API (`podman system service`)
#   tcp-tls        Engine 28.5 reached over TCP with TLS at 192.0.2.2 (a namespace of its own;
#                  the checker runs in another one), as GitLab's docker:dind is
# For each engine and each exercise of a small set covering every check kind, both sides:
# on a clean host (after the exercise's clean-up) the checks must fail, after its solution
# they must all pass. Prints the results as a Markdown table (also written to
# target/rig/compat.md). Usage: compat.sh [ENGINE...]   (default: all)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engines.sh
. "$here/engines.sh"
cd "$rig_root"

engines=("$@")
[ "${#engines[@]}" -gt 0 ] || engines=(moteur-28 api-1.44 moteur-20 containerd podman tcp-tls)
# Exercises: one per check kind at least (daemon; container, image, logs; any, http, exec,
# events; file; volume, network, images, image size; dockerfile, client_config, registry).
exercises=(1.1 1.3 2.5 3.1 9.1 9.2)

# What the job needs beyond prepare.sh: bookworm's docker.io (Engine 20.10), Podman,
# openssl. Services their packages would start are held back (policy-rc.d): the rig starts
# its engines itself, each in its own namespace.
need=()
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v jq >/dev/null 2>&1 || need+=(jq)
if [ "${#need[@]}" -gt 0 ]; then
  rig_say "installation de ${need[*]}"
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | rig_sudo tee /usr/sbin/policy-rc.d >/dev/null
    rig_sudo chmod +x /usr/sbin/policy-rc.d
    policy=yes
  fi
  rig_sudo apt-get update -qq
  rig_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" \
    >"$rig_log_dir/compat-apt.log" 2>&1 || { cat "$rig_log_dir/compat-apt.log"; exit 1; }
  [ -z "$policy" ] || rig_sudo rm -f /usr/sbin/policy-rc.d
fi

rig_sid_bin
cargo build --quiet -p checker
checker_bin="$rig_root/target/debug"
catalog="$(mktemp -d)"
# Each exercise's logs (clean-up, solution, checker's stderr), kept for a look afterwards.
work_root="$rig_log_dir/compat"
rm -rf "$work_root"
mkdir -p "$work_root"
trap 'rm -rf "$catalog"' EXIT
cp -r exercises/. "$catalog/"
cp -r "$here/compat/." "$catalog/"

# A network namespace of the rig, with its loopback up (created once, kept).
netns() {
  local name="$1"
  [ -e "/run/netns/$name" ] || rig_sudo ip netns add "$name"
  rig_sudo ip -n "$name" link set lo up
}

# Two namespaces joined by a veth pair: rig-client (192.0.2.1) and rig-remote (192.0.2.2),
# addresses of TEST-NET-1 (RFC 5737), which exist only inside them.
remote_pair() {
  netns rig-client
  netns rig-remote
  if ! rig_sudo ip -n rig-client link show rig-c >/dev/null 2>&1; then
    rig_sudo ip link add rig-c netns rig-client type veth peer name rig-r netns rig-remote
    rig_sudo ip -n rig-client addr add 192.0.2.1/24 dev rig-c
    rig_sudo ip -n rig-remote addr add 192.0.2.2/24 dev rig-r
  fi
  rig_sudo ip -n rig-client link set rig-c up
  rig_sudo ip -n rig-remote link set rig-r up
}

# Certificates for the TLS engine, made once: a CA, the server's (for 192.0.2.2) and a
# client's, in the layout DOCKER_CERT_PATH expects (ca.pem, cert.pem, key.pem).
tls_certs() {
  local dir="$rig_dir/tls"
  [ -f "$dir/client/key.pem" ] && return 0
  rm -rf "$dir"
  mkdir -p "$dir/server" "$dir/client"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=checker-rig CA" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=192.0.2.2" \
      -keyout server/key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName = IP:192.0.2.2\nextendedKeyUsage = serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile server.ext -out server/cert.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=checker" \
      -keyout client/key.pem -out client.csr 2>/dev/null
    printf 'extendedKeyUsage = clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile client.ext -out client/cert.pem 2>/dev/null
    cp ca.pem server/ca.pem
    cp ca.pem client/ca.pem
  )
}

# Starts ENGINE; sets engine_label, engine_ns (where the checker and the student's commands
# run) and engine_env (the variables that point them at the engine).
start_engine() {
  local engine="$1"
  engine_env=()
  case "$engine" in
    moteur-28)
      engine_label="Docker Engine 28.5 (overlay2)"
      engine_ns=rig-e28; netns "$engine_ns"
      RIG_NETNS=$engine_ns rig_dockerd e28 "$rig_run_dir/e28.sock" "$rig_bin"
      engine_env=(DOCKER_HOST="unix://$rig_run_dir/e28.sock")
      ;;
    api-1.44)
      engine_label="Docker Engine 28.5, API 1.44 au minimum (comme Engine 29)"
      engine_ns=rig-e29; netns "$engine_ns"
      DOCKER_MIN_API_VERSION=1.44 RIG_NETNS=$engine_ns \
        rig_dockerd e29 "$rig_run_dir/e29.sock" "$rig_bin"
      engine_env=(DOCKER_HOST="unix://$rig_run_dir/e29.sock")
      # The floor is real: a client asking for API 1.41 is refused.
      if DOCKER_HOST="unix://$rig_run_dir/e29.sock" DOCKER_API_VERSION=1.41 docker version >/dev/null 2>&1; then
        rig_die "api-1.44 : le moteur accepte encore l'API 1.41 (DOCKER_MIN_API_VERSION ignoré)"
      fi
      ;;
    moteur-20)
      engine_label="Docker 20.10 (Debian bookworm)"
      engine_ns=rig-e20; netns "$engine_ns"
      RIG_NETNS=$engine_ns rig_dockerd e20 "$rig_run_dir/e20.sock" /usr/sbin:/usr/bin
      engine_env=(DOCKER_HOST="unix://$rig_run_dir/e20.sock")
      ;;
    containerd)
      engine_label="Docker Engine 28.5, stockage d'images containerd"
      engine_ns=rig-esnap; netns "$engine_ns"
      rig_sudo mkdir -p "$rig_run_dir/esnap"
      printf '{"features": {"containerd-snapshotter": true}}\n' \
        | rig_sudo tee "$rig_run_dir/esnap/daemon.json" >/dev/null
      RIG_NETNS=$engine_ns rig_dockerd esnap "$rig_run_dir/esnap.sock" "$rig_bin"
      engine_env=(DOCKER_HOST="unix://$rig_run_dir/esnap.sock")
      ;;
    podman)
      engine_label="Podman $(podman --version | awk '{print $3}') (API Docker)"
      engine_ns=rig-epod; netns "$engine_ns"
      local socket="$rig_run_dir/podman.sock"
      if ! rig_version "$socket" >/dev/null; then
        rig_say "démarrage de podman system service sur $socket"
        rig_sudo mkdir -p "$rig_data_dir/podman" "$rig_run_dir/podman"
        # The local registry speaks plain HTTP: Podman wants to be told (Docker trusts
        # localhost by itself).
        printf '[[registry]]\nlocation = "localhost:5000"\ninsecure = true\n' \
          | rig_sudo tee "$rig_run_dir/podman/registries.conf" >/dev/null
        CONTAINERS_REGISTRIES_CONF="$rig_run_dir/podman/registries.conf" rig_daemon "$rig_run_dir/podman/service.pid" "$rig_log_dir/podman.log" \
          nsenter "--net=/run/netns/$engine_ns" podman \
          --root "$rig_data_dir/podman/root" --runroot "$rig_run_dir/podman/run" \
          system service --time=0 "unix://$socket"
        rig_wait "$socket" 30 "$(cat "$rig_run_dir/podman/service.pid")" \
          || { tail -n 20 "$rig_log_dir/podman.log"; rig_die "Podman ne répond pas"; }
      fi
      # Podman's Docker API has no BuildKit session: buildx would start a BuildKit
      # container pulled from Docker Hub. Podman users build with the classic API.
      engine_env=(DOCKER_HOST="unix://$socket" DOCKER_BUILDKIT=0)
      ;;
    tcp-tls)
      engine_label="Docker Engine 28.5 en TCP+TLS (192.0.2.2:2376)"
      remote_pair
      tls_certs
      engine_ns=rig-client
      local tls="$rig_dir/tls/server"
      RIG_NETNS=rig-remote rig_dockerd remote "$rig_run_dir/remote.sock" "$rig_bin" \
        --host tcp://192.0.2.2:2376 --tlsverify --tlscacert "$tls/ca.pem" \
        --tlscert "$tls/cert.pem" --tlskey "$tls/key.pem"
      engine_env=(DOCKER_HOST=tcp://192.0.2.2:2376 DOCKER_TLS_VERIFY=1
        DOCKER_CERT_PATH="$rig_dir/tls/client")
      ;;
    *) rig_die "moteur inconnu : $engine (moteurs : moteur-28 api-1.44 moteur-20 containerd podman tcp-tls)" ;;
  esac
  engine_ns_engine="$engine_ns"
  registry_addr=127.0.0.1:5000
  published=""
  if [ "$engine" = tcp-tls ]; then
    engine_ns_engine=rig-remote
    # The engine pushes to its own localhost:5000; the checker reaches that registry,
    # like the published ports, at the engine's address.
    registry_addr=0.0.0.0:5000
    published=192.0.2.2
  fi
}

# Runs a command where the student would: in the engine's namespace, pointed at it, with
# the checker and the rig's CLI on PATH and a CLI configuration of this job's own.
student() {
  rig_sudo nsenter "--net=/run/netns/$engine_ns" env "${engine_env[@]}" \
    DOCKER_CONFIG="$docker_config" PATH="$checker_bin:$rig_bin:$PATH" NO_COLOR=1 "$@"
}

# The literal block `KEY: |` of an exercise file (solution, cleanup). With a remote
# engine, the student's own `curl http://localhost:...` goes to the engine's host, as in
# a GitLab docker:dind job (where it is `http://docker:...`).
block() {
  awk -v key="$2" '
    $0 ~ "^" key ": *\\|" { on = 1; next }
    on && /^[^ ]/ { exit }
    on { sub(/^  /, ""); print }' "$(ls "$catalog"/ch*/"$1".yaml)" \
    | if [ -n "$published" ]; then sed "s#http://localhost#http://$published#g"; else cat; fi
}

verdict() {
  student checker --catalog "$catalog" --format json exercise "$1" 2>"$work/stderr.txt" || true
}

# One row of the table: ENGINE_LABEL | EXERCISE | clean host | after the solution.
run_exercise() {
  local id="$1"
  work="$work_root/$engine-$id"
  mkdir -p "$work"
  local json clean solved why=""
  (cd "$work" && student sh -c "$(block "$id" cleanup)") >"$work/cleanup.log" 2>&1 || true
  json="$(cd "$work" && verdict "$id")"
  local total failing
  total="$(jq '.exercises[0].checks | length' <<<"$json" 2>/dev/null || echo 0)"
  failing="$(jq '[.exercises[0].checks[] | select(.status != "pass")] | length' <<<"$json" 2>/dev/null || echo "?")"
  if [ "$total" = 0 ]; then
    clean="⚠ pas de verdict : $(head -c 200 "$work/stderr.txt" | tr '\n' ' ')"
  elif [ "$id" = 1.1 ]; then
    # The daemon's own facts hold on any host: nothing to fail before the exercise.
    clean="$((total - failing))/$total ✔ (rien à faire)"
    [ "$failing" = 0 ] || clean="✘ $failing/$total échouent"
  elif [ "$failing" -gt 0 ]; then
    clean="✘ $failing/$total échouent"
  else
    clean="⚠ tout passe sans l'exercice"
  fi
  if ! (cd "$work" && student sh -ec "$(block "$id" solution)") >"$work/solution.log" 2>&1; then
    solved="⚠ la solution échoue : $(tail -n 2 "$work/solution.log" | tr '\n' ' ' | cut -c1-160)"
  else
    json="$(cd "$work" && verdict "$id")"
    total="$(jq '.exercises[0].checks | length' <<<"$json" 2>/dev/null || echo 0)"
    local passing
    passing="$(jq '[.exercises[0].checks[] | select(.status == "pass")] | length' <<<"$json" 2>/dev/null || echo 0)"
    if [ "$total" != 0 ] && [ "$passing" = "$total" ]; then
      solved="✔ $passing/$total"
    else
      why="$(jq -r '[.exercises[0].checks[] | select(.status != "pass") | "`\(.id)` \(.status) : \(.found // .reason // .message // "" | gsub("\n"; " ") | .[0:160])"] | join(" ; ")' <<<"$json" 2>/dev/null)"
      solved="✘ $passing/$total — ${why:-$(head -c 200 "$work/stderr.txt" | tr '\n' ' ')}"
    fi
  fi
  (cd "$work" && student sh -c "$(block "$id" cleanup)") >>"$work/cleanup.log" 2>&1 || true
  printf '| %s | %s | %s | %s |\n' "$engine_label" "$id" "$clean" "${solved//|/\\|}" | tee -a "$results"
}

results="$rig_dir/compat.md"
mkdir -p "$rig_dir"
{
  echo "| moteur | exercice | hôte vierge | après la solution |"
  echo "|---|---|---|---|"
} >"$results"
for engine in "${engines[@]}"; do
  started=$(date +%s)
  start_engine "$engine"
  docker_config="$work_root/docker-config-$engine"
  mkdir -p "$docker_config/cli-plugins"
  ln -sfn "$rig_plugins/docker-compose" "$docker_config/cli-plugins/docker-compose"
  ln -sfn "$rig_plugins/docker-buildx" "$docker_config/cli-plugins/docker-buildx"
  # The engine's stand-in images and its local registry (in the engine's namespace).
  student bash -c ". '$here/engines.sh' && rig_standins" >"$rig_log_dir/compat-$engine-standins.log" 2>&1 \
    || rig_say "$engine : images de substitution incomplètes (journal : $rig_log_dir/compat-$engine-standins.log)"
  RIG_NETNS=$engine_ns_engine rig_registry "$engine" "$registry_addr" >/dev/null
  rig_say "$engine_label : $(student docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>&1 | head -n 1)"
  for id in "${exercises[@]}"; do
    run_exercise "$id" >/dev/null
  done
  rig_say "$engine : $(( $(date +%s) - started )) s"
done
cat "$results"
