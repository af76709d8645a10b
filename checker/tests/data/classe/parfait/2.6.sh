docker rm -f mon-serveur-nginx
docker container prune -f
