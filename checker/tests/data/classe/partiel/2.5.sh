# Mauvais texte dans la page.
docker exec mon-serveur-nginx sh -c "echo Bonsoir > /usr/share/nginx/html/exec.html"
