# Exercice 5.2 en CI, sur un runner dont le job est administrateur (GitHub Actions :
# `sudo` sans mot de passe, Docker géré par systemd). La rotation des logs est un
# réglage du démon : on l'ajoute à sa configuration (les réglages déjà présents sont
# gardés), on la valide, puis on redémarre le démon. Seuls les conteneurs créés
# ensuite en héritent.
# DAEMON_JSON : le fichier de configuration du démon (défaut : /etc/docker/daemon.json).
set -eu
config="${DAEMON_JSON:-/etc/docker/daemon.json}"
actuel="$(sudo cat "$config" 2>/dev/null || true)"
printf '%s\n' "${actuel:-{\}}" |
  jq '. + {"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}}' |
  sudo tee "$config.nouveau" >/dev/null
sudo dockerd --validate --config-file "$config.nouveau"
sudo mv "$config.nouveau" "$config"
sudo systemctl restart docker
docker rm -f rotation-test >/dev/null 2>&1 || true
docker run -d --name rotation-test alpine sleep 3600
