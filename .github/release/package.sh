#!/usr/bin/env bash
# Builds the release binary of `checker` for one target and packages it as the
# release workflow publishes it: dist/checker-VERSION-TARGET.tar.gz (.zip on Windows)
# holding checker-VERSION-TARGET/checker, README.md and the grading scripts, then
# appends its SHA-256 to dist/SHA256SUMS. Run from the repository root:
#   bash .github/release/package.sh x86_64-unknown-linux-gnu
set -euo pipefail

target="${1:?usage: package.sh TARGET}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' checker/Cargo.toml | head -n1)"
name="checker-$version-$target"
exe=""
case "$target" in *windows*) exe=".exe" ;; esac

cargo build --release --locked -p checker --target "$target"
mkdir -p "dist/$name"
cp "target/$target/release/checker$exe" "dist/$name/"
cp README.md templates/ci/noter.sh templates/ci/installer-checker.sh "dist/$name/"
cd dist
case "$target" in
  *windows*) 7z a -bd "$name.zip" "$name" > /dev/null; archive="$name.zip" ;;
  *) tar -czf "$name.tar.gz" "$name"; archive="$name.tar.gz" ;;
esac
rm -rf "$name"
if command -v sha256sum > /dev/null; then
  sha256sum "$archive" >> SHA256SUMS
else
  shasum -a 256 "$archive" >> SHA256SUMS
fi
echo "dist/$archive"
