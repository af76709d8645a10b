#!/usr/bin/env bash
# The project's test command (see README): prepares Docker, then runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
bash checker/tests/rig/prepare.sh
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --workspace -- --test-threads=4
