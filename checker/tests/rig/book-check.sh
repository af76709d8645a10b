#!/usr/bin/env bash
# Builds the book in-process and with a stock `mdbook build` (warnings are errors),
# then opens a chapter with cards in headless Chromium: no console error, cards
# visible, screenshots in target/screenshots/.
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

command -v chromium >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
node_dir="target/node"
if [ ! -d "$node_dir/node_modules/playwright-core" ]; then
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
fi
cp checker/tests/rig/screenshot.mjs "$node_dir/screenshot.mjs"
mkdir -p target/screenshots
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory target/book >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 40); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.25; done
node "$node_dir/screenshot.mjs" "http://127.0.0.1:$port/ch02-conteneurs.html" "$root/target/screenshots/ch02-conteneurs.png"
say "capture : target/screenshots/ch02-conteneurs.png"
