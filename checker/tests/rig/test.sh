#!/usr/bin/env bash
# The project's test command (see README): prepares a real Docker engine, checks
# formatting and lints, runs every test against that engine, then builds the book both
# ways (in-process and with a stock mdBook 0.5) and looks at a chapter in Chromium.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
# Each step says how long it took, so the CI's time budget can be read from its log.
step() {
  local name="$1" started=$SECONDS
  shift
  "$@"
  echo "[ci] $name : $((SECONDS - started)) s"
}
step "banc (prepare.sh)" bash checker/tests/rig/prepare.sh
# The rig's Docker CLI 28.5 first on PATH, for the tests and the solution scripts they run.
. target/rig/env.sh
step "cargo fmt" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --all-targets --quiet -- -D warnings
step "cargo test" env CHECKER_TEST_RIG=1 cargo test --workspace -- --test-threads=4

# A stock mdBook for `mdbook build` (compiled from crates.io once, kept in target/).
if ! command -v mdbook >/dev/null 2>&1 || ! mdbook --version | grep -q 'v0\.5'; then
  if [ ! -x target/tools/bin/mdbook ]; then
    echo "[livre] installation de mdbook 0.5 (cargo install)"
    cargo install --quiet --locked --root target/tools mdbook@0.5.4
  fi
  export PATH="$root/target/tools/bin:$PATH"
fi
step "livre (book-check.sh)" bash checker/tests/rig/book-check.sh
