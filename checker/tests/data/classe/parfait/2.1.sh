docker run --name mon-serveur-nginx -p 8080:80 -d nginx:latest
curl -s http://localhost:8080 | grep -i welcome
