docker exec mon-serveur-nginx sh -c "echo 'Bonjour depuis exec' > /usr/share/nginx/html/exec.html"
