#!/usr/bin/env bash
# Benchmarks of the checker against the local engine (figures recorded in
# book/formateurs/performances.md). Not part of the test suite: timings belong here,
# not in assertions.
#   - `checker exercise 2.1` when the exercise is done (the page answers);
#   - `checker exercise 2.1` on a clean host (every check fails);
#   - `checker grade --all` with chapter 2 done up to 2.5 and 2.7;
#   - peak memory of each (GNU time's maximum resident set size).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
bash checker/tests/rig/prepare.sh >/dev/null
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
cargo build --release -q -p checker
bin="$root/target/release/checker"
export NO_COLOR=1

cleanup() { docker rm -f mon-serveur-nginx inspect-me >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

echo "## Moteur : $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'), $(nproc) cœurs"
echo
echo "### checker exercise 2.1, hôte vierge (5 échecs, dont une connexion refusée)"
hyperfine -N --warmup 2 --runs 10 -i "$bin exercise 2.1" --export-markdown /dev/stdout
docker run -d --name mon-serveur-nginx -p 8080:80 nginx:latest >/dev/null
sleep 1
echo
echo "### checker exercise 2.1, exercice réussi (la page répond)"
hyperfine -N --warmup 3 --runs 30 "$bin exercise 2.1" --export-markdown /dev/stdout
docker stop mon-serveur-nginx >/dev/null && docker start mon-serveur-nginx >/dev/null
docker exec mon-serveur-nginx sh -c "echo 'Bonjour depuis exec' > /usr/share/nginx/html/exec.html"
curl -s http://localhost:8080/ >/dev/null
docker run -d --name inspect-me alpine sleep 3600 >/dev/null
echo
echo "### checker grade --all ($("$bin" list | grep -c '^  ') exercices)"
hyperfine -N --warmup 1 --runs 10 -i "$bin grade --all" --export-markdown /dev/stdout
echo
echo "### Mémoire (pic de RSS)"
for cmd in "exercise 2.1" "grade --all"; do
  rss="$(mktemp)"
  # shellcheck disable=SC2086 # the command's words are meant to split
  /usr/bin/time -f '%M' -o "$rss" "$bin" $cmd >/dev/null 2>&1 || true
  echo "- \`checker $cmd\` : $(tail -n 1 "$rss") Kio"
  rm -f "$rss"
done
