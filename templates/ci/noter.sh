#!/usr/bin/env bash
# Note un étudiant : exécute ses scripts solutions/N.M.sh exercice par exercice et note
# chacun aussitôt, à son propre point de vérification. Ce script appartient au
# formateur : la CI le prend dans le dépôt du cours, jamais dans celui de l'étudiant.
#
# Les exercices se suivent : l'état attendu par l'un (un conteneur en marche) est
# souvent défait par un suivant (le supprimer). On exécute donc le script de l'exercice,
# on le note (`checker grade ID --save`), puis on passe au suivant. Les prérequis pris
# dans d'autres chapitres (l'image de 3.1 pour le chapitre 4) sont exécutés d'abord,
# sans être notés. Les rapports finaux viennent des résultats enregistrés (`--from`),
# dont les scores sont recalculés d'après le catalogue du checker.
#
# Chaque étudiant a toujours un rapport complet : un exercice sans script, ou dont le
# script a été arrêté, compte zéro avec la raison ; un script en échec est noté tel
# quel, avec une remarque.
#
# Variables :
#   CHAPITRE    chapitre(s) à noter, séparés par des espaces, ou « tous » (défaut : 2)
#   SOLUTIONS   dossier des scripts de l'étudiant : 2.1.sh, 2.2.sh… (défaut : solutions)
#   SEUIL       pourcentage minimal pour réussir (défaut : 60)
#   RAPPORTS    dossier des rapports (défaut : rapports)
#   ETUDIANT    identifiant de l'étudiant (défaut : GITHUB_ACTOR, GITLAB_USER_LOGIN, USER)
#   COMMIT      commit noté (défaut : GITHUB_SHA, CI_COMMIT_SHA, ou git rev-parse HEAD)
#   CLASSE      liste de la classe, CSV : « etudiant,user,… » ; les colonnes après la
#               première sont des variables d'exercice (--var user=…) de cet étudiant
#   VARIABLES   autres variables, « nom=valeur nom2=valeur2 », pour tous les étudiants
#   TEMPS_MAX   durée maximale d'un script d'exercice, en secondes (défaut : 300)
#   CHECKER     commande du checker (défaut : checker)
#   CHECKER_SHA256  empreinte SHA-256 attendue du binaire ; vérifiée avant chaque note
#   REGISTRE_MOT_DE_PASSE  secret CI, laissé aux scripts pour l'exercice 4.3 : aucun
#               terminal ici, le script le passe à `docker login --password-stdin`
set -uo pipefail

chapitre="${CHAPITRE:-2}"
solutions="${SOLUTIONS:-solutions}"
seuil="${SEUIL:-60}"
rapports="${RAPPORTS:-rapports}"
etudiant="${ETUDIANT:-${GITHUB_ACTOR:-${GITLAB_USER_LOGIN:-${USER:-etudiant}}}}"
commit="${COMMIT:-${GITHUB_SHA:-${CI_COMMIT_SHA:-$(git rev-parse HEAD 2>/dev/null || true)}}}"
temps_max="${TEMPS_MAX:-300}"
checker_cmd="${CHECKER:-checker}"
mkdir -p "$rapports"

# Le checker, pris une fois pour toutes : un script d'étudiant qui remplacerait le
# `checker` du PATH ne change pas celui qui note.
checker_bin="$(command -v "$checker_cmd" || true)"
if [ -z "$checker_bin" ]; then
  echo "noter.sh : commande « $checker_cmd » introuvable : installez le checker." >&2
  printf '## ❌ Notation impossible\n\nLe checker (%s) est introuvable sur le runner.\n' \
    "$checker_cmd" > "$rapports/resume.md"
  exit 2
fi
verifier_checker() {
  [ -z "${CHECKER_SHA256:-}" ] && return 0
  if ! echo "$CHECKER_SHA256  $checker_bin" | sha256sum --check --status; then
    echo "noter.sh : le binaire $checker_bin n'a plus l'empreinte attendue : notation arrêtée." >&2
    printf '## ❌ Notation refusée\n\nLe binaire du checker a été modifié pendant la notation.\n' \
      > "$rapports/resume.md"
    exit 2
  fi
}
verifier_checker

# Le moteur Docker, fixé avant tout script d'étudiant : `docker context use` dans un
# script ne change pas celui que le checker interroge (DOCKER_HOST passe avant les
# contextes). Un moteur qui changerait quand même entre deux exercices est refusé par
# `checker grade --save`.
if [ -z "${DOCKER_HOST:-}" ]; then
  moteur="$("$checker_bin" doctor --format json 2>/dev/null |
    sed -n 's/^ *"endpoint": "\(unix:[^"]*\)",*$/\1/p')"
  [ -n "$moteur" ] && export DOCKER_HOST="$moteur"
fi

# Les résultats vivent hors du dépôt de l'étudiant, et leur empreinte est vérifiée
# après chaque script : un script qui les modifie est signalé et la notation arrêtée.
travail="$(mktemp -d)"
trap 'rm -rf "$travail"' EXIT
resultats="$travail/resultats.json"
empreinte=""
verifier_resultats() {
  local maintenant=""
  [ -f "$resultats" ] && maintenant="$(sha256sum "$resultats" | cut -d' ' -f1)"
  if [ "$maintenant" != "$empreinte" ]; then
    echo "noter.sh : le fichier de résultats a été modifié par le script $1 : notation arrêtée." >&2
    printf '## ❌ Notation refusée\n\nLe script %s a modifié les résultats de la notation.\n' \
      "$1" > "$rapports/resume.md"
    exit 2
  fi
}
retenir_resultats() {
  empreinte="$(sha256sum "$resultats" | cut -d' ' -f1)"
}

# Les variables de l'étudiant : sa ligne dans la liste de la classe, puis VARIABLES.
vars=()
if [ -n "${CLASSE:-}" ]; then
  if [ ! -f "$CLASSE" ]; then
    echo "noter.sh : liste de classe $CLASSE introuvable." >&2
    exit 2
  fi
  entete="$(head -n1 "$CLASSE" | tr -d '\r')"
  ligne="$(tr -d '\r' < "$CLASSE" | awk -F'[,;]' -v e="$etudiant" 'NR > 1 && $1 == e' | head -n1)"
  if [ -z "$ligne" ]; then
    echo "noter.sh : l'étudiant « $etudiant » n'est pas dans $CLASSE : valeurs par défaut." >&2
  else
    IFS=',;' read -r -a noms <<< "$entete"
    IFS=',;' read -r -a valeurs <<< "$ligne"
    for i in "${!noms[@]}"; do
      [ "$i" -eq 0 ] && continue
      [ -n "${valeurs[$i]:-}" ] && vars+=(--var "${noms[$i]}=${valeurs[$i]}")
    done
  fi
fi
for paire in ${VARIABLES:-}; do
  vars+=(--var "$paire")
done
# Les scripts de l'étudiant voient aussi ces valeurs : CHECKER_VAR_user…
for ((i = 1; i < ${#vars[@]}; i += 2)); do
  export "CHECKER_VAR_${vars[$i]%%=*}=${vars[$i]#*=}"
done

selection=()
case "$chapitre" in
  tous | '*' | all) selection=(--all) ;;
  *) for c in $chapitre; do selection+=(--chapter "$c"); done ;;
esac
identite=(--student "$etudiant")
[ -n "$commit" ] && identite+=(--commit "$commit")

plan="$("$checker_bin" grade "${selection[@]}" --plan)" || {
  echo "noter.sh : chapitre « $chapitre » inconnu (voyez \`checker list\`)." >&2
  exit 2
}

# Exécute un script d'étudiant, borné par TEMPS_MAX, sans terminal ni entrée. Donne la
# remarque à joindre à la note (vide si tout s'est bien passé).
executer() {
  local script="$1" code
  timeout --kill-after=10 "$temps_max" bash "$script" < /dev/null
  code=$?
  verifier_resultats "$script"
  verifier_checker
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
    remarque="script $script arrêté au bout de ${temps_max} s"
  elif [ "$code" -ne 0 ]; then
    remarque="script $script en échec (code $code) : exercice noté tel quel"
  else
    remarque=""
  fi
}

while read -r id role; do
  [ -z "$id" ] && continue
  script="$solutions/$id.sh"
  if [ "$role" = prerequis ]; then
    if [ -f "$script" ]; then
      echo "── Prérequis $id : $script (non noté)"
      executer "$script"
    fi
    continue
  fi
  echo "── Exercice $id : $script"
  if [ ! -f "$script" ]; then
    "$checker_bin" grade "$id" --not-run "aucun script $script" --save "$resultats" \
      "${identite[@]}" --no-color > /dev/null
  elif [ ! -s "$script" ]; then
    "$checker_bin" grade "$id" --not-run "script $script vide" --save "$resultats" \
      "${identite[@]}" --no-color > /dev/null
  else
    executer "$script"
    note=()
    [ -n "$remarque" ] && note=(--note "$remarque") && echo "   ($remarque)"
    "$checker_bin" grade "$id" "${vars[@]}" --save "$resultats" "${identite[@]}" \
      "${note[@]}" --no-color
  fi
  retenir_resultats
done <<< "$plan"

cp "$resultats" "$rapports/resultats.json"
# Les scores sont recalculés d'après le catalogue ; un exercice sans résultat compte
# comme non vérifié, jamais comme réussi.
"$checker_bin" grade "${selection[@]}" --from "$resultats" --min-score "$seuil" "${identite[@]}" \
  --format junit --output "$rapports/junit.xml" \
  --format markdown --output "$rapports/resume.md" \
  --format csv --output "$rapports/notes.csv" \
  --format classroom --output "$rapports/classroom.json" \
  --format html --output "$rapports/rapport.html" \
  --format text
code=$?

# La note avec un point décimal, pour les programmes (regex `coverage` de GitLab).
if [ -f "$rapports/notes.csv" ]; then
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NR == 2 { printf "Note : %s / %s points (%s %%)\n", $col["total"], $col["max"], $col["pourcentage"] }' \
    "$rapports/notes.csv"
fi
exit "$code"
