#!/usr/bin/env bash
# Median wall time of pgk8s commands next to psql and pg_isready, on one embedded PostgreSQL 16 that this
# script starts itself (pgk8s local). Build first: mvn -B -q package -DskipTests
#
#   bench/run.sh                         all JVM variants, 11 runs, 5 runs of 200 migrations
#   VARIANTS="jdk17 jdk25-aot" RUNS=5 MIGRATE_RUNS=3 MIGRATIONS=200 bench/run.sh
#
# Variants: jdk17 (plain java -jar); launcher (the packaged target/quarkus-app/pgk8s script); launcher25 (the
# same on Java 25); jdk17-c1 (C1 JIT only, serial GC); jdk17-appcds-c1 (plus the archive Quarkus
# builds with quarkus.package.jar.appcds.enabled=true); jdk17-cds-c1 (plus a dynamic CDS archive trained on one
# 'pgk8s local --exit' run); jdk25-aot-c1 (Temurin 25 with an AOT cache from the same training run).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-11}
MIGRATE_RUNS=${MIGRATE_RUNS:-5}
MIGRATIONS=${MIGRATIONS:-200}
VARIANTS=${VARIANTS:-jdk17 launcher launcher25 jdk17-c1 jdk17-appcds-c1 jdk17-cds-c1 jdk25-aot-c1}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
APP=$PWD/target/quarkus-app
OUT=$PWD/bench/out
TMP=$PWD/target/tmp

[[ -f $APP/quarkus-run.jar ]] || { echo "error: $APP/quarkus-run.jar is missing, run mvn -B -q package -DskipTests" >&2; exit 2; }
command -v psql >/dev/null || { echo "error: psql is missing, apt-get install -y postgresql-client" >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT" "$TMP"

# --- one embedded PostgreSQL 16 for the whole run ---------------------------------------------------------
"$JAVA17" -Djava.io.tmpdir="$TMP" -jar "$APP/quarkus-run.jar" local --port 0 --data "$OUT/data" >"$OUT/local.log" 2>&1 &
LOCAL_PID=$!
trap 'kill $LOCAL_PID 2>/dev/null; wait $LOCAL_PID 2>/dev/null || true' EXIT
for _ in $(seq 600); do grep -q 'Ctrl-C' "$OUT/local.log" && break; kill -0 $LOCAL_PID || break; sleep 0.1; done
grep -q 'Ctrl-C' "$OUT/local.log" || { echo "error: pgk8s local did not start:" >&2; cat "$OUT/local.log" >&2; exit 1; }
export PGHOST=localhost PGUSER=learnflow_user PGPASSWORD=dev_password_change_in_prod PGDATABASE=learnflow
PGPORT=$(sed -n 's/^PostgreSQL 16 on localhost:\([0-9]*\).*/\1/p' "$OUT/local.log")
export PGPORT
# local's superuser has a random password, kept in the data directory it was made for.
SUPERUSER_PASSWORD=$(cat "$OUT/data/pgk8s-superuser.password")
admin() { PGUSER=postgres PGPASSWORD=$SUPERUSER_PASSWORD PGDATABASE=postgres psql -qAt -v ON_ERROR_STOP=1 "$@"; }
new_db() { local db="bench_$(date +%s%N)"; admin -c "CREATE DATABASE $db OWNER learnflow_user"; echo "$db"; }

# --- timing -------------------------------------------------------------------------------------------------
. bench/lib.sh
measure() { local n=$1; shift; once "$@" >/dev/null; for ((i = 0; i < n; i++)); do once "$@"; done | median; }

# --- JVM variants -------------------------------------------------------------------------------------------
# C1 only and the serial GC: a short CLI on 2 cores spends more on C2 compiling and GC threads than it gains.
C1="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
training_run() { "$@" -Djava.io.tmpdir="$TMP" -jar "$APP/quarkus-run.jar" local --exit --port 0 >"$OUT/training.log" 2>&1; }
declare -A FLAGS
prepare_variant() {
    case $1 in
        jdk17) FLAGS[$1]="" ;;
        launcher)   # the packaged target/quarkus-app/pgk8s: C1, serial GC, an archive made by its first run
            rm -f "$APP"/pgk8s*.jsa "$APP"/pgk8s*.aot
            FLAGS[$1]="(target/quarkus-app/pgk8s: C1, serial GC, AppCDS from its first run)" ;;
        launcher25)   # the same on Java 25: the AOT cache from its first run
            [[ -x $JAVA25 ]] || { echo "(skipping $1: no $JAVA25)" >&2; return 1; }
            rm -f "$APP"/pgk8s*.jsa "$APP"/pgk8s*.aot
            FLAGS[$1]="(target/quarkus-app/pgk8s on Java 25: C1, serial GC, AOT cache from its first run)" ;;
        jdk17-c1) FLAGS[$1]="$C1" ;;
        jdk17-appcds-c1)
            [[ -f $APP/app-cds.jsa ]] || { echo "(skipping $1: build with -Dquarkus.package.jar.appcds.enabled=true)" >&2; return 1; }
            FLAGS[$1]="-XX:SharedArchiveFile=app-cds.jsa -Xshare:on $C1 (from target/quarkus-app)" ;;
        jdk17-cds-c1)
            training_run "$JAVA17" -XX:ArchiveClassesAtExit="$OUT/pgk8s-17.jsa" $C1
            FLAGS[$1]="-XX:SharedArchiveFile=$OUT/pgk8s-17.jsa -Xshare:on $C1" ;;
        jdk25-aot-c1)
            [[ -x $JAVA25 ]] || { echo "(skipping $1: no $JAVA25)" >&2; return 1; }
            training_run "$JAVA25" -XX:AOTCacheOutput="$OUT/pgk8s-25.aot" $C1
            FLAGS[$1]="-XX:AOTCache=$OUT/pgk8s-25.aot -XX:AOTMode=on $C1" ;;
        *) echo "(unknown variant $1)" >&2; return 1 ;;
    esac
}
pgk8s() {   # pgk8s VARIANT ARGS...
    local variant=$1; shift
    case $variant in
        jdk17-appcds*) (cd "$APP" && "$JAVA17" -XX:SharedArchiveFile=app-cds.jsa -Xshare:on $C1 -jar quarkus-run.jar "$@") ;;
        jdk25*) "$JAVA25" ${FLAGS[$variant]} -jar "$APP/quarkus-run.jar" "$@" ;;
        launcher) JAVA_HOME= "$APP/pgk8s" "$@" ;;
        launcher25) JAVA_HOME=${JAVA25%/bin/java} "$APP/pgk8s" "$@" ;;
        *) "$JAVA17" ${FLAGS[$variant]} -jar "$APP/quarkus-run.jar" "$@" ;;
    esac
}
ACTIVE=()
for v in $VARIANTS; do prepare_variant "$v" && ACTIVE+=("$v"); done

# --- migrations: the same generated files for pgk8s and psql ------------------------------------------------
mkdir -p "$OUT/migrations"
for ((n = 1; n <= MIGRATIONS; n++)); do
    printf -v f '%s/migrations/%03d_bench_%03d.sql' "$OUT" "$n" "$n"
    printf 'CREATE TABLE bench_%03d (id SERIAL PRIMARY KEY, name TEXT NOT NULL);\nINSERT INTO bench_%03d (name) VALUES (%s);\n' \
        "$n" "$n" "'row $n'" >"$f"
done
for f in "$OUT"/migrations/*.sql; do printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$f"; done >"$OUT/psql-session.sql"
psql_session() { psql -q -v ON_ERROR_STOP=1 -d "$1" -f "$OUT/psql-session.sql"; }
psql_per_file() { local f; for f in "$OUT"/migrations/*.sql; do psql -q -1 -v ON_ERROR_STOP=1 -d "$1" -f "$f" || return 1; done; }
migrate_median() {   # runs on a fresh database each time; the CREATE DATABASE is not timed
    local times=() i db
    for ((i = 0; i < MIGRATE_RUNS; i++)); do db=$(new_db); times+=("$(once "$@" "$db")"); done
    printf '%s\n' "${times[@]}" | median
}
pgk8s_migrate() { pgk8s "$1" migrate --database "$2" --migrations "$OUT/migrations"; }

# --- wait's latency: from the database appearing, migrated (a copy of a migrated template), to wait exiting ---
WAIT_TEMPLATE=""
wait_latency_once() {
    local variant=$1 db="bench_wait_$(date +%s%N)" start end
    if [[ -z $WAIT_TEMPLATE ]]; then
        WAIT_TEMPLATE=$(new_db)
        pgk8s jdk17 migrate --database "$WAIT_TEMPLATE" >/dev/null
    fi
    pgk8s "$variant" wait --database "$db" --timeout 60 >/dev/null 2>"$OUT/wait.err" &
    local pid=$!
    for _ in $(seq 300); do grep -q 'to exist' "$OUT/wait.err" && break; sleep 0.02; done
    admin -c "CREATE DATABASE $db TEMPLATE $WAIT_TEMPLATE OWNER learnflow_user"
    start=$(date +%s%N)
    wait $pid
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
wait_latency() { local i; for ((i = 0; i < 5; i++)); do wait_latency_once "$1"; done | median; }

# --- measure --------------------------------------------------------------------------------------------------
echo "pgk8s bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL 16 at localhost:$PGPORT"
echo "psql: $(psql --version)"
for v in "${ACTIVE[@]}"; do
    case $v in jdk25* | launcher25) j=$JAVA25 ;; *) j=$JAVA17 ;; esac   # the flags of each variant follow its JVM
    echo "$v: $("$j" -version 2>&1 | sed -n 2p) ${FLAGS[$v]}"
done
echo "medians in ms of $RUNS runs ($MIGRATE_RUNS for migrations); ratio = pgk8s / psql"
echo

PSQL=$(measure "$RUNS" psql -c 'select 1')
ISREADY=$(measure "$RUNS" pg_isready -q)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
row() { printf '%-34s' "$1"; shift; printf '%16s' "$@"; echo; }
row "command" "${ACTIVE[@]}"
row "psql -c 'select 1'" "$PSQL"
row "pg_isready" "$ISREADY"
for cmd in connection verify wait; do
    cells=()
    for v in "${ACTIVE[@]}"; do t=$(measure "$RUNS" pgk8s "$v" "$cmd"); cells+=("$t ($(ratio "$t" "$PSQL"))"); done
    row "pgk8s $cmd" "${cells[@]}"
done
cells=()
for v in "${ACTIVE[@]}"; do cells+=("$(wait_latency "$v")"); done
row "wait: db created -> exit" "${cells[@]}"
# verify against a port that accepts TCP but never answers PostgreSQL's handshake (spec: answer within 3 s)
python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1); print(s.getsockname()[1], flush=True); time.sleep(3600)' >"$OUT/silent.port" &
SILENT_PID=$!
trap 'kill $LOCAL_PID $SILENT_PID 2>/dev/null; wait $LOCAL_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s $OUT/silent.port ]] && break; sleep 0.05; done
silent_verify() { ! pgk8s "$1" verify --host 127.0.0.1 --port "$(cat "$OUT/silent.port")"; }
cells=()
for v in "${ACTIVE[@]}"; do cells+=("$(measure "$RUNS" silent_verify "$v")"); done
row "pgk8s verify, silent host" "${cells[@]}"
echo
MIG_SESSION=$(migrate_median psql_session)
MIG_PER_FILE=$(migrate_median psql_per_file)
row "$MIGRATIONS migrations" "${ACTIVE[@]}"
row "psql, 1 session, BEGIN/COMMIT each" "$MIG_SESSION"
row "psql -1 -f, a process per file" "$MIG_PER_FILE"
cells=() per_file=()
for v in "${ACTIVE[@]}"; do
    t=$(migrate_median pgk8s_migrate "$v")
    cells+=("$t ($(ratio "$t" "$MIG_SESSION"))")
    per_file+=("$(ratio "$t" "$MIG_PER_FILE")")
done
row "pgk8s migrate (ratio to 1 session)" "${cells[@]}"
row "ratio to psql -1 -f per file" "${per_file[@]}"
