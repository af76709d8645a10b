# Le script fait le travail puis ne rend jamais la main.
sleep 1
docker restart mon-serveur-nginx
docker logs -f mon-serveur-nginx
