# Recopié du livre : `docker login` attend qu'on tape le mot de passe, ce qu'aucun
# job de CI ne peut faire (pas de terminal).
docker login localhost:5000
