docker run -d --name inspect-me alpine sleep 3600
