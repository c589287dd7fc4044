#!/usr/bin/env bash
# Entrypoint of gameday.local/postgres:15, behaving like the official postgres image's:
#   1. as root: create PGDATA and the socket directory, hand them to postgres, re-run as postgres;
#   2. on an empty PGDATA: initdb with POSTGRES_USER / POSTGRES_PASSWORD, allow password logins from
#      anywhere, start a temporary server listening on the socket only, create POSTGRES_DB, run
#      /docker-entrypoint-initdb.d/*, stop the temporary server;
#   3. exec the server in the foreground.
# The server logs "database system is ready to accept connections" once for the temporary server
# and once for the final one: Testcontainers' PostgreSQLContainer waits for both.
set -Eeo pipefail

log() { printf '%s\n' "$*"; }
fail() { printf 'gameday postgres entrypoint: %s\n' "$*" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR from the environment, or from the file named by VAR_FILE.
file_env() {
  local var=$1 file_var="${1}_FILE" default=${2:-}
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    fail "both $var and $file_var are set, but they are exclusive; set one of them"
  fi
  local value=$default
  if [ -n "${!var:-}" ]; then
    value=${!var}
  elif [ -n "${!file_var:-}" ]; then
    value=$(<"${!file_var}")
  fi
  export "$var"="$value"
  unset "$file_var"
}

setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  DATABASE_ALREADY_EXISTS=
  if [ -s "$PGDATA/PG_VERSION" ]; then
    DATABASE_ALREADY_EXISTS=true
  fi
}

create_directories() {
  local user
  user=$(id -u)
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    if [ "$user" = 0 ]; then
      find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
    fi
    chmod 700 "$POSTGRES_INITDB_WALDIR"
  fi
  if [ "$user" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

verify_minimum_env() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    cat >&2 <<'EOM'
gameday postgres entrypoint: the database is not initialised and no superuser password is set.
  Set POSTGRES_PASSWORD to a non-empty value, e.g. `docker run -e POSTGRES_PASSWORD=secret ...`,
  or POSTGRES_HOST_AUTH_METHOD=trust to accept every connection without a password (not recommended).
EOM
    exit 1
  fi
  if [ "${#POSTGRES_PASSWORD}" -ge 100 ]; then
    log "WARNING: POSTGRES_PASSWORD is ${#POSTGRES_PASSWORD} characters long; md5 authentication supports at most 99."
  fi
}

init_database_dir() {
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options, split on purpose.
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    $POSTGRES_INITDB_ARGS "$@"
}

setup_hba_conf() {
  if [ "${1:-}" = postgres ]; then shift; fi
  local default_auth
  default_auth=$(postgres -C password_encryption "$@")
  : "${POSTGRES_HOST_AUTH_METHOD:=$default_auth}"
  {
    printf '\n'
    if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
      printf '# warning: trust is enabled for all connections\n'
    fi
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
  } >>"$PGDATA/pg_hba.conf"
}

temp_server_start() {
  if [ "${1:-}" = postgres ]; then shift; fi
  # Socket only: nobody outside reaches the database before it is fully set up.
  set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

temp_server_stop() {
  PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

process_sql() {
  local runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ -n "$POSTGRES_DB" ]; then
    runner+=(--dbname "$POSTGRES_DB")
  fi
  PGHOST='' PGHOSTADDR='' "${runner[@]}" "$@"
}

# The database name goes in as a psql variable while POSTGRES_DB is blanked for process_sql,
# which would otherwise connect to that (not yet existing) database.
# shellcheck disable=SC2097,SC2098
setup_db() {
  local exists
  exists=$(POSTGRES_DB='' process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
		SELECT 1 FROM pg_database WHERE datname = :'db' ;
	EOSQL
  )
  if [ -z "$exists" ]; then
    POSTGRES_DB='' process_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
    printf '\n'
  fi
}

process_init_files() {
  local f
  printf '\n'
  for f in "$@"; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          log "$0: running $f"
          "$f"
        else
          log "$0: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql) log "$0: running $f"; process_sql -f "$f"; printf '\n' ;;
      *.sql.gz) log "$0: running $f"; gunzip -c "$f" | process_sql; printf '\n' ;;
      *.sql.xz) log "$0: running $f"; xz -dc "$f" | process_sql; printf '\n' ;;
      *.sql.zst) log "$0: running $f"; zstd -dc "$f" | process_sql; printf '\n' ;;
      *) log "$0: ignoring $f" ;;
    esac
    printf '\n'
  done
}

wants_help() {
  local arg
  for arg; do
    case "$arg" in
      -'?' | --help | --describe-config | -V | --version) return 0 ;;
    esac
  done
  return 1
}

main() {
  # `docker run IMAGE -c fsync=off`: options for the server.
  if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
  fi

  if [ "$1" = postgres ] && ! wants_help "$@"; then
    setup_env
    create_directories
    if [ "$(id -u)" = 0 ]; then
      exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
    fi

    if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
      verify_minimum_env
      # Fail early, before initdb, if the init directory cannot be read.
      ls /docker-entrypoint-initdb.d/ >/dev/null
      init_database_dir
      setup_hba_conf "$@"

      export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
      temp_server_start "$@"
      setup_db
      process_init_files /docker-entrypoint-initdb.d/*
      temp_server_stop
      unset PGPASSWORD

      log ''
      log 'PostgreSQL init process complete; ready for start up.'
      log ''
    else
      log ''
      log 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
      log ''
    fi
  fi

  exec "$@"
}

shopt -s nullglob
main "$@"
