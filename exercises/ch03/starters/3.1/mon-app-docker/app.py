# app.py — le petit programme que l'image de l'exercice 3.1 exécute.
import os
import time

print("Bonjour depuis Docker !")
print("Je tourne avec Python.")
message = os.getenv("MESSAGE_PERSO", "Pas de message personnalisé.")
print(f"Message : {message}")

# Une courte pause, annoncée : le conteneur reste visible dans `docker ps` le temps de
# la regarder (Ctrl+C pour l'interrompre).
print("Je fais une pause de 5 secondes (Ctrl+C pour arrêter)...", flush=True)
time.sleep(5)
print("Au revoir !")
