import redis
import psycopg2
import os
import time
import logging

logging.basicConfig(level=logging.INFO,
                    format='%(asctime)s - %(levelname)s - %(message)s')


def get_redis_connection():
    """Se connecte à Redis, en réessayant jusqu'à ce que ça marche."""
    redis_host = os.environ.get('REDIS_HOST', 'redis')
    logging.info(f"Connexion à Redis sur {redis_host}...")
    while True:
        try:
            r = redis.Redis(host=redis_host, port=6379, db=0,
                            socket_timeout=5, decode_responses=True)
            r.ping()
            logging.info("Worker connecté à Redis.")
            return r
        except redis.exceptions.ConnectionError:
            logging.warning("Redis ne répond pas, nouvel essai dans 5 s...")
            time.sleep(5)


def get_db_connection():
    """Se connecte à PostgreSQL, en réessayant jusqu'à ce que ça marche."""
    db_host = os.environ.get('POSTGRES_HOST', 'db')
    db_user = os.environ.get('POSTGRES_USER', 'postgres')
    db_password = os.environ.get('POSTGRES_PASSWORD', 'postgres')
    db_name = os.environ.get('POSTGRES_DB', 'postgres')
    conn_string = (f"host={db_host} dbname={db_name} "
                   f"user={db_user} password={db_password}")
    logging.info(f"Connexion à PostgreSQL sur {db_host}...")
    while True:
        try:
            conn = psycopg2.connect(conn_string)
            logging.info("Worker connecté à PostgreSQL.")
            return conn
        except psycopg2.OperationalError:
            logging.warning("PostgreSQL ne répond pas, nouvel essai dans 5 s...")
            time.sleep(5)


def init_db(conn):
    """Crée la table des votes si elle n'existe pas encore."""
    with conn.cursor() as cur:
        cur.execute("""
            CREATE TABLE IF NOT EXISTS votes (
                id VARCHAR(255) PRIMARY KEY,
                votes INT NOT NULL
            )
        """)
    conn.commit()
    logging.info("Table 'votes' prête.")


def run_worker():
    redis_conn = get_redis_connection()
    db_conn = get_db_connection()
    init_db(db_conn)

    logging.info("Worker démarré, en attente de votes...")
    while True:
        try:
            # BLPOP retire le premier élément de la liste 'votes'.
            # Il attend au plus 1 s et renvoie None si rien n'est arrivé.
            vote_data = redis_conn.blpop('votes', timeout=1)

            if vote_data:
                # vote_data est un couple (nom_de_la_liste, valeur)
                vote = vote_data[1]
                logging.info(f"Vote reçu : {vote}")

                with db_conn.cursor() as cur:
                    # Crée la ligne de l'option ou incrémente son compteur
                    cur.execute(
                        "INSERT INTO votes (id, votes) VALUES (%s, 1) "
                        "ON CONFLICT (id) DO UPDATE SET votes = votes.votes + 1",
                        (vote,)
                    )
                db_conn.commit()
                logging.info(f"Vote pour '{vote}' enregistré dans la base.")

        except redis.exceptions.ConnectionError:
            logging.error("Connexion à Redis perdue, reconnexion...")
            redis_conn = get_redis_connection()
        except psycopg2.Error as e:
            logging.error(f"Erreur PostgreSQL : {e}. Reconnexion...")
            if db_conn and not db_conn.closed:
                db_conn.close()
            db_conn = get_db_connection()
        except Exception as e:
            logging.error(f"Erreur inattendue : {e}")
            time.sleep(5)


if __name__ == '__main__':
    run_worker()
