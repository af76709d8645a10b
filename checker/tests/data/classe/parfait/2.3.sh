sleep 3
docker stop mon-serveur-nginx
docker start mon-serveur-nginx
