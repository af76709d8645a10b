#!/usr/bin/env bash
# Note un chapitre du cours pour un étudiant, en CI ou sur sa machine.
#
# Les exercices se suivent : l'état attendu par l'un (un conteneur en marche) est
# souvent défait par un suivant (le supprimer). Chaque exercice est donc vérifié à son
# propre point de vérification : on exécute le script de l'étudiant pour cet exercice,
# on le note aussitôt (`--save`), puis on passe au suivant. Les rapports finaux sont
# produits à partir des résultats enregistrés (`--from`), sans Docker.
#
# Variables :
#   CHAPITRE   chapitre à noter (par défaut 2)
#   SOLUTIONS  dossier des scripts de l'étudiant, un par exercice : 2.1.sh, 2.2.sh…
#   SEUIL      pourcentage minimal pour réussir (par défaut 60)
#   RAPPORTS   dossier des rapports produits (par défaut rapports)
set -uo pipefail

chapitre="${CHAPITRE:-2}"
solutions="${SOLUTIONS:-solutions}"
seuil="${SEUIL:-60}"
rapports="${RAPPORTS:-rapports}"
mkdir -p "$rapports"
resultats="$rapports/resultats.json"
rm -f "$resultats"

for script in $(ls "$solutions/$chapitre".*.sh 2>/dev/null | sort -V); do
  id="$(basename "$script" .sh)"
  echo "── Exercice $id : $script"
  bash "$script" || echo "   (le script $script a échoué : l'exercice sera noté tel quel)"
  checker grade "$id" --save "$resultats" --no-color || true
done

# Un exercice sans script compte comme non vérifié, jamais comme réussi.
checker grade --chapter "$chapitre" --from "$resultats" --min-score "$seuil" \
  --format junit --output "$rapports/junit.xml" \
  --format markdown --output "$rapports/resume.md" \
  --format text
