#!/usr/bin/env bash
# Installe une version précise du checker, vérifiée, en quelques secondes : le binaire
# publié avec la version (GitHub Releases du dépôt du cours) et son empreinte SHA-256
# prise dans SHA256SUMS ; à défaut de binaire pour cette machine, `cargo install` de la
# même étiquette (à mettre en cache). Écrit dans $GITHUB_ENV / affiche le chemin installé
# et son empreinte, pour que noter.sh la vérifie avant chaque note.
#
# Variables :
#   CHECKER_VERSION   version à installer, par exemple 0.1.0 (obligatoire)
#   COURS_DEPOT       dépôt GitHub du cours, « organisation/nom » (obligatoire, sauf avec
#                     COURS_RELEASES)
#   COURS_RELEASES    adresse du dossier des fichiers de la version (par défaut
#                     https://github.com/$COURS_DEPOT/releases/download/v$CHECKER_VERSION)
#   DESTINATION       dossier d'installation (par défaut $HOME/.local/bin)
#   CHECKER_CIBLE     cible Rust du binaire (par défaut, celle de cette machine)
set -euo pipefail

version="${CHECKER_VERSION:?CHECKER_VERSION : la version du checker à installer, par exemple 0.1.0}"
destination="${DESTINATION:-$HOME/.local/bin}"
if [ -z "${COURS_RELEASES:-}" ]; then
  depot="${COURS_DEPOT:?COURS_DEPOT : le dépôt GitHub du cours, organisation/nom}"
  COURS_RELEASES="https://github.com/$depot/releases/download/v$version"
fi

case "${CHECKER_CIBLE:+cible}$(uname -s)-$(uname -m)" in
  cible*) cible="$CHECKER_CIBLE" ;;
  Linux-x86_64) cible=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) cible=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) cible=x86_64-apple-darwin ;;
  Darwin-arm64) cible=aarch64-apple-darwin ;;
  *) cible="" ;;
esac

mkdir -p "$destination"
travail="$(mktemp -d)"
trap 'rm -rf "$travail"' EXIT
archive="checker-$version-$cible.tar.gz"

if [ -n "$cible" ] &&
  curl --fail --silent --show-error --location --retry 3 --max-time 120 \
    --output "$travail/SHA256SUMS" "$COURS_RELEASES/SHA256SUMS" &&
  curl --fail --silent --show-error --location --retry 3 --max-time 300 \
    --output "$travail/$archive" "$COURS_RELEASES/$archive"; then
  attendue="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$travail/SHA256SUMS")"
  if [ -z "$attendue" ]; then
    echo "installer-checker : $archive absent de SHA256SUMS : installation refusée." >&2
    exit 1
  fi
  if ! echo "$attendue  $travail/$archive" | sha256sum --check --status; then
    echo "installer-checker : l'empreinte de $archive ne correspond pas à SHA256SUMS : installation refusée." >&2
    exit 1
  fi
  tar -xzf "$travail/$archive" -C "$travail"
  install -m 0755 "$travail/checker-$version-$cible/checker" "$destination/checker"
else
  echo "installer-checker : pas de binaire publié pour cette machine ($cible) : cargo install." >&2
  depot_git="${COURS_GIT:-https://github.com/${COURS_DEPOT:?}.git}"
  # Déjà construit par un job précédent (cache de la CI) : même version, on le garde.
  if [ "$("$destination/checker" --version 2>/dev/null)" = "checker $version" ]; then
    echo "installer-checker : checker $version déjà en cache dans $destination." >&2
  else
    cargo install --locked --root "$travail/cargo" --git "$depot_git" --tag "v$version" checker
    install -m 0755 "$travail/cargo/bin/checker" "$destination/checker"
  fi
fi

installe="$destination/checker"
empreinte="$(sha256sum "$installe" | cut -d' ' -f1)"
"$installe" --version
echo "checker $version installé dans $installe (sha256 $empreinte)"
if [ -n "${GITHUB_ENV:-}" ]; then
  {
    echo "CHECKER=$installe"
    echo "CHECKER_SHA256=$empreinte"
  } >> "$GITHUB_ENV"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$destination" >> "$GITHUB_PATH"
fi
