sleep 1
curl -s http://localhost:8080/ > /dev/null
docker logs mon-serveur-nginx
