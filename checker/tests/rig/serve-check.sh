#!/usr/bin/env bash
# `checker serve` in Chromium (serve-browser.mjs): the « Vérifier » button of 2.1 on a
# host without the exercise done, then done (live re-check on Docker's event, then a
# click), the verdicts read in the card, the identifier saved with `progress --user`
# shown in 4.1's card, the button of the static book explaining how to start the
# server; screenshots light and dark in target/screenshots/. Changes Docker's state:
# book-check.sh runs it under the rig's lock.
# Usage: serve-check.sh STATIC_BOOK_URL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
static_url="$1"
node_dir="target/node"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill -INT "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  docker rm -f mon-serveur-nginx >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
docker rm -f mon-serveur-nginx >/dev/null 2>&1 || true
export CHECKER_STATE="$work/progress.json"
target/debug/checker progress --user alice >/dev/null
NO_COLOR=1 target/debug/checker serve --no-open >"$work/serve.out" 2>"$work/serve.err" &
server=$!
url=""
for _ in $(seq 1 240); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[0-9a-f]*/' "$work/serve.out" || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err"; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { echo "checker serve n'a pas donné d'adresse"; cat "$work/serve.err"; exit 1; }
node --check templates/book/verifier.js
cp checker/tests/rig/serve-browser.mjs "$node_dir/serve-browser.mjs"
node "$node_dir/serve-browser.mjs" "$url" "$static_url" "$root/target/screenshots"
