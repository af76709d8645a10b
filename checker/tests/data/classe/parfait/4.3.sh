# Sans terminal (CI) : le mot de passe, ou le jeton Docker Hub, vient du secret
# REGISTRE_MOT_DE_PASSE et passe par l'entrée standard, jamais en argument.
# REGISTRE : le registre visé ; localhost:5000 (le registre local de 4.4) par défaut,
# vide pour Docker Hub.
registre="${REGISTRE-localhost:5000}"
printf '%s\n' "${REGISTRE_MOT_DE_PASSE:?secret REGISTRE_MOT_DE_PASSE absent}" |
  docker login --username "${CHECKER_VAR_user:-etudiant}" --password-stdin $registre
