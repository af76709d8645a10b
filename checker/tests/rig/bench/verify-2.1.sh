#!/usr/bin/env bash
# What a lab platform's verify script does for exercise 2.1's five facts, with the
# docker CLI and curl: the bash side of the benchmark (bench.sh).
set -u
name=mon-serveur-nginx
ok=0
[ "$(docker inspect -f '{{.Name}}' "$name" 2>/dev/null)" = "/$name" ] && ok=$((ok + 1))
[ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" = "true" ] && ok=$((ok + 1))
[ "$(docker inspect -f '{{.Config.Image}}' "$name" 2>/dev/null)" = "nginx:latest" ] && ok=$((ok + 1))
docker port "$name" 80/tcp 2>/dev/null | grep -q ':8080$' && ok=$((ok + 1))
curl -fsS http://localhost:8080/ 2>/dev/null | grep -q 'Welcome to nginx!' && ok=$((ok + 1))
[ "$ok" -eq 5 ]
