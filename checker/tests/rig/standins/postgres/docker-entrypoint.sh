#!/bin/sh
# Test stand-in for the postgres image's entrypoint: initialises the data folder once
# (as the real image does, from POSTGRES_DB), keeps it on later starts, and listens on
# 5432. A table of votes lives in $PGDATA/votes, so tests can see data survive.
data=${PGDATA:-/var/lib/postgresql/data}
if [ -s "$data/PG_VERSION" ]; then
  echo "PostgreSQL Database directory appears to contain a database; Skipping initialization"
else
  [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ] && {
    echo "Error: Database is uninitialized and superuser password is not specified." >&2
    exit 1
  }
  echo "${PG_MAJOR:-17}" > "$data/PG_VERSION"
  echo "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" > "$data/database"
  echo "PostgreSQL init process complete; ready for start up."
fi
echo "LOG:  database system is ready to accept connections"
nc -ll -p 5432 -e cat &
pid=$!
trap 'kill $pid 2>/dev/null; exit 0' TERM INT QUIT
wait $pid
