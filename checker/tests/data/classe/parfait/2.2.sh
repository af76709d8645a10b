docker run hello-world
docker ps -a
