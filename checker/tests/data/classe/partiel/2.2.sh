# Le script plante après avoir fait le travail.
docker run hello-world
exit 3
