from flask import Flask, render_template, request, g
import redis
import os
import logging

app = Flask(__name__)
logging.basicConfig(level=logging.INFO)

# Les deux seules valeurs acceptées, avec le libellé affiché
CHOIX = {'cats': 'chats', 'dogs': 'chiens'}


def get_redis():
    """Ouvre la connexion à Redis (une fois par requête)."""
    if 'redis' not in g:
        # 'redis' est le nom du service dans le fichier Compose :
        # le DNS du réseau Docker le traduit en adresse IP.
        redis_host = os.environ.get('REDIS_HOST', 'redis')
        logging.info(f"Connexion à Redis sur l'hôte : {redis_host}")
        try:
            g.redis = redis.Redis(host=redis_host, port=6379, db=0,
                                  socket_timeout=5, decode_responses=True)
            g.redis.ping()  # vérifie que Redis répond
            logging.info("Connexion à Redis réussie.")
        except redis.exceptions.ConnectionError as e:
            logging.error(f"Échec de la connexion à Redis : {e}")
            g.redis = None  # signale l'échec à l'appelant
    return g.redis


@app.route('/', methods=['GET', 'POST'])
def index():
    message = ""
    r = get_redis()
    if not r:
        message = "Erreur : impossible de joindre la base Redis."
        return render_template('index.html', message=message), 500

    if request.method == 'POST':
        vote = request.form.get('vote')
        if vote not in CHOIX:
            message = "Vote invalide."
            return render_template('index.html', message=message), 400
        try:
            # Ajoute le vote en fin de la liste 'votes' (la file d'attente)
            r.rpush('votes', vote)
            message = f"Merci d'avoir voté pour les {CHOIX[vote]} !"
            logging.info(f"Vote enregistré : {vote}")
        except redis.exceptions.ConnectionError as e:
            message = f"Erreur lors de l'enregistrement du vote : {e}"
            logging.error(f"Erreur Redis pendant le vote : {e}")
            return render_template('index.html', message=message), 500

    return render_template('index.html', message=message)


if __name__ == '__main__':
    app.run(host='0.0.0.0', port=5000, debug=True)
