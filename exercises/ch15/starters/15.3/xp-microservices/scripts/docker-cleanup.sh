#!/usr/bin/env bash
# Nettoyage Docker du projet xp-microservices.
# Usage : ./scripts/docker-cleanup.sh [--yes] [--all]
#   --yes : ne pas demander de confirmation
#   --all : nettoyage profond de toute la machine (images inutilisées, volumes
#           nommés inutilisés, tout le cache de build) ; Docker Engine 23 ou plus
set -euo pipefail

# Dépôts d'images du projet (tous leurs tags seront supprimés)
PROJECT_IMAGES='^(payment-gateway-service|booking-service|tour-catalog-service)(:|$)'
ASSUME_YES=false
DEEP=false

for arg in "$@"; do
  case "$arg" in
    -y|--yes) ASSUME_YES=true ;;
    -a|--all) DEEP=true ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "Option inconnue : $arg" >&2; exit 2 ;;
  esac
done

show_disk_usage() {
  echo "Espace disque utilisé par Docker :"
  docker system df
  echo
}

echo "=== AVANT NETTOYAGE ==="
show_disk_usage

if [ "$ASSUME_YES" = false ]; then
  read -r -p "Continuer le nettoyage ? (o/N) " reply
  case "$reply" in
    [oOyY]*) ;;
    *) echo "Nettoyage annulé."; exit 1 ;;
  esac
fi

# 1. Conteneurs lancés depuis les images du projet, actifs ou arrêtés
containers=$(docker ps -a --format '{{.ID}} {{.Image}}' | awk -v re="$PROJECT_IMAGES" '$2 ~ re { print $1 }')
if [ -n "$containers" ]; then
  echo "Arrêt et suppression des conteneurs du projet..."
  echo "$containers" | xargs docker stop > /dev/null
  echo "$containers" | xargs docker rm
else
  echo "Aucun conteneur du projet."
fi

# 2. Images du projet, supprimées par tag (fonctionne même si deux tags partagent un ID)
images=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "$PROJECT_IMAGES" || true)
if [ -n "$images" ]; then
  echo "Suppression des images du projet..."
  echo "$images" | xargs docker rmi
else
  echo "Aucune image du projet."
fi

# 3. Ressources inutilisées
echo "Suppression des images pendantes, des réseaux inutilisés et du cache de build inutilisé..."
docker image prune -f
docker network prune -f
docker builder prune -f

if [ "$DEEP" = true ]; then
  echo "Nettoyage profond : conteneurs arrêtés, images et volumes inutilisés, tout le cache..."
  docker container prune -f
  docker image prune -a -f
  docker volume prune -a -f
  docker builder prune -a -f
fi

echo "=== APRÈS NETTOYAGE ==="
show_disk_usage
echo "Nettoyage terminé."
