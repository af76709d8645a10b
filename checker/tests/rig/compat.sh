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
#   ssh            the same engine through DOCKER_HOST=ssh://root@192.0.2.2 (Debian's sshd)
#   ssh-contexte   the same through a docker context (`docker context use`)
# For each engine and each exercise of a small set covering every check kind, both sides:
# on a clean host (after the exercise's clean-up) the checks must fail, after its solution
# they must all pass. Prints the results as a Markdown table, one row per engine, each
# cell « failing on a clean host → passing after the solution », with a numbered note for
# each cell that is not green (also written to target/rig/compat.md).
# Usage: compat.sh [ENGINE...]   (default: all)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engines.sh
. "$here/engines.sh"
cd "$rig_root"

# Each row says how it reaches its engine; nothing from the caller's shell may decide.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_API_VERSION

engines=("$@")
[ "${#engines[@]}" -gt 0 ] || engines=(moteur-28 api-1.44 moteur-20 containerd podman tcp-tls ssh ssh-contexte)
# Exercises: one per check kind at least (daemon; container, image, logs; any, http, exec,
# events; file; volume, network, images, image size; dockerfile, client_config, registry;
# the `localhost/` short names of Podman; probe both ways, network addresses and
# disconnections).
exercises=(1.1 1.3 2.5 3.1 99.1 99.2 99.3 99.4)
# Course exercises that go on from another's state (2.5 works in the container 2.1
# starts, and has no clean-up of its own): that exercise's solution is played first,
# and its clean-up too, so each cell still starts from a clean host.
declare -A continues=([2.5]=2.1)

# What the job needs beyond prepare.sh: bookworm's docker.io (Engine 20.10), Podman,
# openssl. Services their packages would start are held back (policy-rc.d): the rig starts
# its engines itself, each in its own namespace.
need=()
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
command -v podman >/dev/null 2>&1 || need+=(podman)
# crun rather than runc for Podman: neither starts containers in the rig's sandbox (see
# book/formateurs/moteurs.md), crun says why in fewer words.
command -v crun >/dev/null 2>&1 || need+=(crun)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
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
# The remote engine's certificates and the ssh keys belong with the engines: machine-wide,
# like them (another checkout's compat run finds the engine it started, and must hold
# the keys that engine trusts).
rig_keys_dir="$rig_data_dir/keys"
rig_sudo mkdir -p "$rig_keys_dir"
rig_sudo chown "$(id -u):$(id -g)" "$rig_keys_dir"

tls_certs() {
  local dir="$rig_keys_dir/tls"
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

# The remote engine of the tcp-tls and ssh rows: Engine 28.5 in rig-remote, on a unix
# socket (for sshd's `docker system dial-stdio`) and on TCP with TLS.
remote_engine() {
  remote_pair
  tls_certs
  local tls="$rig_keys_dir/tls/server"
  RIG_NETNS=rig-remote rig_dockerd remote "$rig_run_dir/remote.sock" "$rig_bin" \
    --host tcp://192.0.2.2:2376 --tlsverify --tlscacert "$tls/ca.pem" \
    --tlscert "$tls/cert.pem" --tlskey "$tls/key.pem"
}

# Debian's sshd in rig-remote on 192.0.2.2:22, with keys, configuration and
# authorized_keys of the rig's own (the system's ssh setup and ~/.ssh are left alone).
# Sessions get the rig's docker CLI and the remote engine's socket, so
# `ssh root@192.0.2.2 docker system dial-stdio` reaches it. The client side is an `ssh`
# wrapper first on PATH that adds the rig's client configuration (-F).
ssh_server() {
  local dir="$rig_keys_dir/ssh"
  mkdir -p "$dir/bin"
  [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_ed25519"
  [ -f "$dir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_ed25519"
  cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
  printf '192.0.2.2 %s\n' "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >"$dir/known_hosts"
  cat >"$dir/sshd_config" <<SSHD
ListenAddress 192.0.2.2
HostKey $dir/host_ed25519
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
PidFile $rig_run_dir/sshd.pid
SetEnv PATH=$rig_bin:/usr/sbin:/usr/bin:/sbin:/bin DOCKER_HOST=unix://$rig_run_dir/remote.sock
SSHD
  cat >"$dir/config" <<SSH
Host 192.0.2.2
  User root
  IdentityFile $dir/client_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  # One connection for the many docker commands of a solution (as the docker CLI's
  # documentation advises for ssh:// hosts).
  ControlMaster auto
  ControlPath $rig_run_dir/ssh-%C
  ControlPersist 60
SSH
  printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$dir/config" >"$dir/bin/ssh"
  chmod +x "$dir/bin/ssh"
  if ! nsenter --net=/run/netns/rig-client "$dir/bin/ssh" root@192.0.2.2 true 2>/dev/null; then
    rig_say "démarrage de sshd dans rig-remote (192.0.2.2:22)"
    # An sshd left by another checkout holds the port with keys that are not ours.
    if [ -f "$rig_run_dir/sshd.pid" ]; then
      rig_sudo kill "$(cat "$rig_run_dir/sshd.pid")" 2>/dev/null || true
      sleep 0.5
    fi
    rig_sudo mkdir -p /run/sshd
    rig_daemon "$rig_run_dir/sshd-launcher.pid" "$rig_log_dir/sshd.log" \
      nsenter --net=/run/netns/rig-remote /usr/sbin/sshd -D -e -f "$dir/sshd_config"
    local i
    for i in $(seq 1 40); do
      nsenter --net=/run/netns/rig-client "$dir/bin/ssh" root@192.0.2.2 true 2>/dev/null && return 0
      sleep 0.25
    done
    tail -n 20 "$rig_log_dir/sshd.log" >&2
    rig_die "sshd ne répond pas sur 192.0.2.2:22"
  fi
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
      engine_socket="$rig_run_dir/e28.sock"
      engine_env=(DOCKER_HOST="unix://$rig_run_dir/e28.sock")
      ;;
    api-1.44)
      engine_label="Docker Engine 28.5, API 1.44 au minimum (comme Engine 29)"
      engine_ns=rig-e29; netns "$engine_ns"
      DOCKER_MIN_API_VERSION=1.44 RIG_NETNS=$engine_ns \
        rig_dockerd e29 "$rig_run_dir/e29.sock" "$rig_bin"
      engine_socket="$rig_run_dir/e29.sock"
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
      engine_socket="$rig_run_dir/e20.sock"
      engine_env=(DOCKER_HOST="unix://$rig_run_dir/e20.sock")
      ;;
    containerd)
      engine_label="Docker Engine 28.5, stockage d'images containerd"
      engine_ns=rig-esnap; netns "$engine_ns"
      rig_sudo mkdir -p "$rig_run_dir/esnap"
      printf '{"features": {"containerd-snapshotter": true}}\n' \
        | rig_sudo tee "$rig_run_dir/esnap/daemon.json" >/dev/null
      RIG_NETNS=$engine_ns rig_dockerd esnap "$rig_run_dir/esnap.sock" "$rig_bin"
      engine_socket="$rig_run_dir/esnap.sock"
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
      engine_socket="$socket"
      engine_buildkit=0
      engine_env=(DOCKER_HOST="unix://$socket" DOCKER_BUILDKIT=0)
      ;;
    tcp-tls)
      engine_label="Docker Engine 28.5 en TCP+TLS (192.0.2.2:2376)"
      remote_engine
      engine_ns=rig-client
      engine_env=(DOCKER_HOST=tcp://192.0.2.2:2376 DOCKER_TLS_VERIFY=1
        DOCKER_CERT_PATH="$rig_keys_dir/tls/client")
      ;;
    ssh | ssh-contexte)
      remote_engine
      ssh_server
      engine_ns=rig-client
      engine_path="$rig_keys_dir/ssh/bin"
      if [ "$engine" = ssh ]; then
        engine_label="Docker Engine 28.5 par DOCKER_HOST=ssh://root@192.0.2.2"
        engine_env=(DOCKER_HOST=ssh://root@192.0.2.2)
      else
        engine_label="Docker Engine 28.5 par un contexte ssh (docker context use)"
        context_pending=yes
      fi
      ;;
    *) rig_die "moteur inconnu : $engine (moteurs : moteur-28 api-1.44 moteur-20 containerd podman tcp-tls ssh ssh-contexte)" ;;
  esac
  engine_ns_engine="$engine_ns"
  registry_addr=127.0.0.1:5000
  published=""
  if [ "$engine_ns" = rig-client ]; then
    engine_ns_engine=rig-remote
    engine_socket="$rig_run_dir/remote.sock"
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
    DOCKER_CONFIG="$docker_config" PATH="$checker_bin:${engine_path:+$engine_path:}$rig_bin:$PATH" \
    NO_COLOR=1 "$@"
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

# A note under the table for a cell that is not green; prints its number. (A file, not
# an array: cells call it in command substitutions, which are subshells.)
note() {
  tr '\n' ' ' <<<"$1" >>"$notes_file"
  echo >>"$notes_file"
  wc -l <"$notes_file" | tr -d ' '
}

# One cell of the table: « hôte vierge → après la solution » for exercise ID.
run_exercise() {
  local id="$1"
  work="$work_root/$engine-$id"
  mkdir -p "$work"
  local json clean solved why="" before="${continues[$id]:-}"
  local solution cleanup
  solution="$(block "$id" solution)"
  cleanup="$(block "$id" cleanup)"
  if [ -n "$before" ]; then
    solution="$(block "$before" solution)"$'\n'"$solution"
    cleanup="$cleanup"$'\n'"$(block "$before" cleanup)"
  fi
  (cd "$work" && student sh -c "$cleanup") >"$work/cleanup.log" 2>&1 || true
  json="$(cd "$work" && verdict "$id")"
  local total failing
  total="$(jq '.exercises[0].checks | length' <<<"$json" 2>/dev/null || echo 0)"
  failing="$(jq '[.exercises[0].checks[] | select(.status != "pass")] | length' <<<"$json" 2>/dev/null || echo "?")"
  if [ "$total" = 0 ]; then
    clean="⚠ ($(note "$engine_label, $id, hôte vierge : pas de verdict : $(head -c 200 "$work/stderr.txt" | tr '\n' ' ')"))"
  elif [ "$id" = 1.1 ] && [ "$failing" = 0 ]; then
    # The daemon's own facts hold on any host: nothing to fail before the exercise.
    clean="✔ $total/$total"
  elif [ "$failing" -gt 0 ]; then
    clean="✘ $failing/$total"
  else
    clean="⚠ ($(note "$engine_label, $id : tout passe sans l'exercice"))"
  fi
  if ! (cd "$work" && student sh -ec "$solution") >"$work/solution.log" 2>&1; then
    why="$(grep -m 1 -i 'error' "$work/solution.log" || tail -n 2 "$work/solution.log")"
    solved="⚠ ($(note "$engine_label, $id : la solution échoue : \`$(tr '\n\`' " '" <<<"$why" | cut -c1-240)\`"))"
  else
    json="$(cd "$work" && verdict "$id")"
    total="$(jq '.exercises[0].checks | length' <<<"$json" 2>/dev/null || echo 0)"
    local passing
    passing="$(jq '[.exercises[0].checks[] | select(.status == "pass")] | length' <<<"$json" 2>/dev/null || echo 0)"
    if [ "$total" != 0 ] && [ "$passing" = "$total" ]; then
      solved="✔ $passing/$total"
    else
      why="$(jq -r '[.exercises[0].checks[] | select(.status != "pass") | "`\(.id)` \(.status) : \(.found // .reason // .message // "" | gsub("\n"; " ") | .[0:160])"] | join(" ; ")' <<<"$json" 2>/dev/null)"
      solved="✘ $passing/$total ($(note "$engine_label, $id : ${why:-$(head -c 200 "$work/stderr.txt" | tr '\n' ' ')}"))"
    fi
  fi
  (cd "$work" && student sh -c "$cleanup") >>"$work/cleanup.log" 2>&1 || true
  cells+=("$clean → $solved")
}

results="$rig_dir/compat.md"
mkdir -p "$rig_dir"
rows=()
notes_file="$work_root/notes"
: >"$notes_file"
for engine in "${engines[@]}"; do
  started=$(date +%s)
  context_pending=""
  engine_path=""
  engine_buildkit=1
  start_engine "$engine"
  docker_config="$work_root/docker-config-$engine"
  mkdir -p "$docker_config/cli-plugins"
  ln -sfn "$rig_plugins/docker-compose" "$docker_config/cli-plugins/docker-compose"
  ln -sfn "$rig_plugins/docker-buildx" "$docker_config/cli-plugins/docker-buildx"
  if [ -n "$context_pending" ]; then
    # The checker must find the engine as the CLI does: through the current context.
    student docker context create banc-ssh --docker host=ssh://root@192.0.2.2 >/dev/null
    student docker context use banc-ssh >/dev/null
  fi
  # The engine's stand-in images (built through its unix socket: they are the rig's
  # setup, not what the row proves) and its local registry (in the engine's namespace).
  env DOCKER_HOST="unix://$engine_socket" DOCKER_BUILDKIT="$engine_buildkit" \
    bash -c ". '$here/engines.sh' && rig_standins" >"$rig_log_dir/compat-$engine-standins.log" 2>&1 \
    || rig_say "$engine : images de substitution incomplètes (journal : $rig_log_dir/compat-$engine-standins.log)"
  RIG_NETNS=$engine_ns_engine rig_registry "$engine" "$registry_addr" >/dev/null
  # `sed -n 1p` reads to the end: `head` would leave docker writing into a closed pipe
  # (SIGPIPE, and `set -o pipefail` ends the whole run) when it prints an error.
  version="$(student docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>&1 | sed -n 1p)"
  rig_say "$engine_label : $version"
  cells=()
  for id in "${exercises[@]}"; do
    run_exercise "$id"
  done
  seconds=$(( $(date +%s) - started ))
  rig_say "$engine : $seconds s"
  row="| $engine_label, ${version//|/} |"
  for cell in "${cells[@]}"; do row+=" $cell |"; done
  rows+=("$row $seconds s |")
done
{
  header="| moteur |"
  rule="|---|"
  for id in "${exercises[@]}"; do header+=" $id |"; rule+="---|"; done
  echo "$header durée |"
  echo "$rule---:|"
  printf '%s\n' "${rows[@]}"
  if [ -s "$notes_file" ]; then
    echo
    awk '{ gsub(/\|/, "\\|"); printf "%d. %s\n", NR, $0 }' "$notes_file"
  fi
} >"$results"
cat "$results"
