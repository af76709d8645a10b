# syntax=docker/dockerfile:1
FROM nginx:1.27-alpine
COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    location / { root /usr/share/nginx/html; }
}
EOF
COPY <<-"EOT" /usr/share/nginx/html/index.html
	<h1>Bonjour</h1>
	EOT
USER nginx
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
