from alpine:3.20
run apk add --no-cache curl
Workdir /app
copy . .
user nobody
cmd ["sh"]
