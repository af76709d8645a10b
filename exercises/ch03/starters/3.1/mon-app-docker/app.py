# app.py — le petit programme que l'image de l'exercice 3.1 exécute.
import os
import time

print("Bonjour depuis Docker !")
print("Je tourne avec Python.")
message = os.getenv("MESSAGE_PERSO", "Pas de message personnalisé.")
print(f"Message : {message}")

print("Je vais dormir un peu...")
time.sleep(30)
print("Au revoir !")
