#!/bin/sh
# The entrypoint of the real-node tier's PostgreSQL 16 image, written from the documented contract of the
# official postgres image (hub.docker.com/_/postgres, "How to extend this image" and "Environment Variables"):
# - POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default postgres, the
#   superuser initdb makes), POSTGRES_DB (default POSTGRES_USER), POSTGRES_INITDB_ARGS, POSTGRES_INITDB_WALDIR,
#   POSTGRES_HOST_AUTH_METHOD, PGDATA; each of the POSTGRES_* may come from a file named by <VAR>_FILE instead.
# - On first boot only (PGDATA holds no PG_VERSION): initdb, then the scripts in /docker-entrypoint-initdb.d
#   in name order against a temporary server that listens on no TCP port: *.sh run (sourced when not
#   executable), *.sql, *.sql.gz, *.sql.xz and *.sql.zst through psql -v ON_ERROR_STOP=1 as POSTGRES_USER
#   into POSTGRES_DB.
# - Then `exec postgres`, PID 1, listening on *:5432 (PGPORT moves it), as the image's user postgres (uid 70).
# One difference, on purpose: the official image trusts TCP connections from localhost; here only the Unix
# socket is trusted, and TCP, loopback too, needs the password (POSTGRES_HOST_AUTH_METHOD, scram-sha-256 by
# default): in a pod, localhost is every container of the pod, and with host networking the whole node.
# It writes only to PGDATA, POSTGRES_INITDB_WALDIR and /var/run/postgresql, so the root filesystem can be
# read-only. A volume's root (root-owned under fsGroup, with lost+found) can't be PGDATA itself: point PGDATA
# at a subdirectory, e.g. /var/lib/postgresql/data/pgdata.
# Its order of steps (setup_env, create_dirs, init_database_dir, temp_server_start, setup_db, init files) follows
# the official image's docker-entrypoint.sh (github.com/docker-library/postgres, MIT licence, Copyright (c) 2014
# Docker, Inc.), so that it behaves as that image's users expect; the code and messages are this project's own.
set -eu

socket_dir=/var/run/postgresql
initdb_dir=/docker-entrypoint-initdb.d

error() {
    echo "error: $*" >&2
    exit 1
}

# file_env VAR [DEFAULT]: VAR from its value, or from the file that VAR_FILE names (Docker and Kubernetes
# secrets), or DEFAULT.
file_env() {
    eval "value=\${$1:-} file=\${$1_FILE:-}"
    if [ -n "$value" ] && [ -n "$file" ]; then
        error "both $1 and $1_FILE are set, set only one of them"
    fi
    if [ -n "$file" ]; then
        value=$(cat -- "$file") || error "$1_FILE names $file, which cannot be read"
    elif [ -z "$value" ]; then
        value=${2:-}
    fi
    export "$1=$value"
    unset "$1_FILE"
}

# The arguments ask postgres for help or a value, not to run a server: no set-up then.
wants_help() {
    for arg; do
        case $arg in
            '-?' | --help | --describe-config | -V | --version | -C) return 0 ;;
        esac
    done
    return 1
}

setup_env() {
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS
    : "${POSTGRES_HOST_AUTH_METHOD:=}"
    : "${POSTGRES_INITDB_WALDIR:=}"
    database_exists=
    if [ -s "$PGDATA/PG_VERSION" ]; then
        database_exists=1
    fi
}

create_dirs() {
    mkdir -p "$PGDATA"
    # What can't be changed here is told apart below, or by initdb and postgres in their own words.
    chmod 0700 "$PGDATA" 2>/dev/null || :
    mkdir -p "$socket_dir" 2>/dev/null || :
    chmod 3775 "$socket_dir" 2>/dev/null || :
    if [ -n "$POSTGRES_INITDB_WALDIR" ]; then
        mkdir -p "$POSTGRES_INITDB_WALDIR"
        chmod 0700 "$POSTGRES_INITDB_WALDIR" 2>/dev/null || :
    fi
}

# Started as root (e.g. --user 0): give the directories to postgres and run again as postgres, as the official
# image does with gosu. setpriv is util-linux's, which every Debian has.
step_down_from_root() {
    find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
    chown postgres:postgres "$socket_dir" 2>/dev/null || :
    if [ -n "$POSTGRES_INITDB_WALDIR" ]; then
        find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres '{}' +
    fi
    exec setpriv --reuid=postgres --regid=postgres --clear-groups -- "$0" "$@"
}

verify_minimum_env() {
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        error "the database is uninitialized and no superuser password is set: set POSTGRES_PASSWORD (or" \
            "POSTGRES_PASSWORD_FILE) to a non-empty value, or POSTGRES_HOST_AUTH_METHOD=trust to allow every" \
            "connection without a password (never do that outside a test)"
    fi
    if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
        echo "warning: POSTGRES_HOST_AUTH_METHOD=trust: every connection is allowed without a password" >&2
    fi
    if [ ! -O "$PGDATA" ]; then
        error "PGDATA $PGDATA belongs to uid $(stat -c %u "$PGDATA"), not to $(id -u): when it is a volume's" \
            "root (fsGroup, lost+found), set PGDATA to a subdirectory, e.g. $PGDATA/pgdata"
    fi
    # An unreadable init directory would leave a half-initialized database: fail before initdb.
    ls "$initdb_dir/" >/dev/null
}

init_database_dir() {
    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    set -- --auth-local=trust "--auth-host=$auth"
    if [ -n "$POSTGRES_INITDB_WALDIR" ]; then
        set -- "$@" --waldir "$POSTGRES_INITDB_WALDIR"
    fi
    # The password goes through a pipe, never a file or the command line. POSTGRES_INITDB_ARGS is split
    # into words as a shell would, as in the official image, and comes last to override the above.
    if [ -n "$POSTGRES_PASSWORD" ]; then
        printf '%s\n' "$POSTGRES_PASSWORD" |
            eval 'initdb --username="$POSTGRES_USER" --pwfile=/dev/stdin "$@" '"$POSTGRES_INITDB_ARGS"
    else
        eval 'initdb --username="$POSTGRES_USER" "$@" '"$POSTGRES_INITDB_ARGS"
    fi
    # Every other host, as the official image does.
    printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
    # These binaries were built with /tmp as their socket directory, which initdb writes into the config; the
    # official image's, and the one Debian's psql and pg_isready look in, is /var/run/postgresql.
    printf "\nunix_socket_directories = '%s'\n" "$socket_dir" >>"$PGDATA/postgresql.conf"
}

# quote WORD: WORD in single quotes for a shell (pg_ctl -o goes through one).
quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# A server for the init scripts only: no TCP port, just the Unix socket.
temp_server_start() {
    [ "${1:-}" != postgres ] || shift
    options=
    for arg in "$@" -c listen_addresses= -p "${PGPORT:-5432}"; do
        options="$options $(quote "$arg")"
    done
    PGUSER=${PGUSER:-$POSTGRES_USER} pg_ctl -D "$PGDATA" -o "$options" -w start
}

temp_server_stop() {
    PGUSER=${PGUSER:-postgres} pg_ctl -D "$PGDATA" -m fast -w stop
}

# process_sql [psql arguments]: psql over the temporary server's socket, as POSTGRES_USER, into POSTGRES_DB.
process_sql() {
    if [ -n "$POSTGRES_DB" ]; then
        set -- --dbname "$POSTGRES_DB" "$@"
    fi
    PGHOST= PGHOSTADDR= psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

setup_db() {
    # psql quotes the name from its variable (in scripts, not in --command): any name is safe.
    exists=$(echo "SELECT 1 FROM pg_database WHERE datname = :'db'" |
        POSTGRES_DB= process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only --no-align)
    if [ -z "$exists" ]; then
        echo "SELECT format('CREATE DATABASE %I', :'db') \\gexec" |
            POSTGRES_DB= process_sql --dbname postgres --set db="$POSTGRES_DB"
        echo
    fi
}

process_init_files() {
    echo
    for f; do
        [ -e "$f" ] || continue # no files: the pattern itself
        case $f in
            *.sh)
                if [ -x "$f" ]; then
                    echo "$0: running $f"
                    "$f"
                else
                    echo "$0: sourcing $f"
                    # shellcheck disable=SC1090
                    . "$f"
                fi
                ;;
            *.sql)
                echo "$0: running $f"
                process_sql -f "$f"
                echo
                ;;
            *.sql.gz)
                echo "$0: running $f"
                gunzip -c "$f" | process_sql
                echo
                ;;
            *.sql.xz)
                echo "$0: running $f"
                xz -dc "$f" | process_sql
                echo
                ;;
            *.sql.zst)
                echo "$0: running $f"
                zstd -dc "$f" | process_sql
                echo
                ;;
            *) echo "$0: ignoring $f" ;;
        esac
    done
}

main() {
    if [ -n "${1:-}" ] && [ "${1#-}" != "$1" ]; then
        set -- postgres "$@" # `docker run image -c shared_buffers=1GB` runs postgres with those options
    fi
    if [ "${1:-}" = postgres ] && ! wants_help "$@"; then
        setup_env
        create_dirs
        if [ "$(id -u)" = 0 ]; then
            step_down_from_root "$@"
        fi
        if [ -z "$database_exists" ]; then
            verify_minimum_env
            init_database_dir
            export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
            temp_server_start "$@"
            setup_db
            process_init_files "$initdb_dir"/*
            temp_server_stop
            unset PGPASSWORD
            echo
            echo 'first boot: initialized, starting PostgreSQL'
            echo
        else
            echo
            echo "PGDATA already holds a database: skipping initialization and init scripts"
            echo
        fi
    fi
    exec "$@"
}

main "$@"
