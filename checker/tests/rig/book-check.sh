#!/usr/bin/env bash
# Builds the book in-process and with a stock `mdbook build` (warnings are errors),
# then tests it in headless Chromium (checker/tests/rig/browser.mjs): copy without the
# prompt, print with hints and solutions, French search, Dockerfile colours, axe-core;
# screenshots in target/screenshots/; then the page of `checker serve` (serve-check.sh).
# The in-process build is the one published
# (.github/workflows/book.yml runs this same command).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
say() { printf '[livre] %s\n' "$*"; }

cargo run --quiet -p checker -- book --deny-warnings
command -v mdbook >/dev/null 2>&1 && mdbook --version | grep -q 'v0\.5' \
  || { say "mdbook 0.5 introuvable (test.sh l'installe dans target/tools)"; exit 1; }
say "mdbook build ($(mdbook --version))"
mdbook build --dest-dir target/book-mdbook 2>target/mdbook-build.log \
  || { cat target/mdbook-build.log; exit 1; }
if grep -E 'WARN|ERROR' target/mdbook-build.log; then say "mdbook a émis des avertissements"; exit 1; fi
grep -q 'data-exercise="2.1"' target/book-mdbook/ch02-conteneurs.html

# The browser tests: Debian's Chromium, playwright-core and axe-core from npm (into
# target/node, so a fresh CI machine gets them and nothing lands outside the clone).
command -v chromium >/dev/null 2>&1 || {
  say "installation de chromium (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
command -v npm >/dev/null 2>&1 || {
  say "installation de nodejs et npm (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}
node_dir="target/node"
if [ ! -d "$node_dir/node_modules/playwright-core" ] || [ ! -d "$node_dir/node_modules/axe-core" ]; then
  say "installation de playwright-core et axe-core (npm)"
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --silent --no-audit --no-fund playwright-core@1 axe-core@4 >/dev/null)
fi
cp checker/tests/rig/browser.mjs "$node_dir/browser.mjs"
rm -rf target/screenshots && mkdir -p target/screenshots
say "index de recherche : $(wc -c <target/book-mdbook/searchindex-*.js) octets (mdbook, anglais), $(wc -c <target/book/searchindex-*.js) octets (checker, français)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory target/book >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 40); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.25; done
say "navigateur (copie, impression, recherche, coloration, axe-core, captures)"
node "$node_dir/browser.mjs" "http://127.0.0.1:$port/" "$root/target/screenshots" "$node_dir/node_modules/axe-core/axe.min.js"
say "captures : target/screenshots/"

# The same book served by `checker serve`: « Vérifier » on 2.1 before and after the
# exercise, live re-check, the saved identifier, the static book's button. It changes
# Docker's state (2.1's container): under the rig's lock, like the cargo tests.
say "checker serve dans le navigateur (Vérifier sur 2.1, revérification en direct, clair et sombre)"
flock /tmp/checker-docker-tests.lock bash checker/tests/rig/serve-check.sh "http://127.0.0.1:$port/"
