#!/usr/bin/env bash
# pgk8s deploy next to kubectl, on the test tier's control plane (src/test/controlplane/start.sh) with kwok's
# node: pods become Ready as soon as the controllers have made them, so the rows measure the API work and the
# controllers, not PostgreSQL's start. Build first: mvn -B -q package -DskipTests
#
#   bench/deploy.sh                      5 runs of each row
#   RUNS=3 bench/deploy.sh
#
# Rows (median ms, the launcher target/quarkus-app/pgk8s, process start included; pgk8s on the java of PATH,
# and on Java 25 with the AOT cache its first run makes: JAVA25_HOME, default Temurin 25's):
#   apply, nothing changed: pgk8s deploy dev on a ready deployment, next to kubectl apply --server-side -f of
#     the same YAML (pgk8s render dev)
#   create and wait: pgk8s deploy dev into an empty cluster, until Ready, next to kubectl apply --server-side
#     then kubectl rollout status (the controllers' own latency, measured by kubectl's watch)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
PGK8S=$PWD/target/quarkus-app/pgk8s
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$PWD/bench/out/deploy
[[ -x $PGK8S ]] || { echo "error: $PGK8S is missing, run mvn -B -q package -DskipTests" >&2; exit 2; }
[[ -x $JAVA25_HOME/bin/java ]] || { echo "error: no Java 25 at $JAVA25_HOME, set JAVA25_HOME" >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT"

. bench/lib.sh
start_cluster --pvs 0
"$PGK8S" render dev >"$OUT/dev.yaml"

empty_cluster() {   # not timed
    "$KUBECTL" delete namespace postgres --ignore-not-found --wait=true --timeout=180s >/dev/null
}
kubectl_apply() { "$KUBECTL" apply --server-side --field-manager=bench -f "$OUT/dev.yaml"; }
kubectl_apply_and_wait() { kubectl_apply && "$KUBECTL" rollout status statefulset/postgres -n postgres --timeout=180s; }
pgk8s_deploy() { "$PGK8S" deploy dev --timeout 180; }
pgk8s25_deploy() { JAVA_HOME=$JAVA25_HOME "$PGK8S" deploy dev --timeout 180; }

# Each tool on its own objects: kubectl's field manager is not pgk8s's, so neither sees the other's fields.
create_row() {   # $1: the command to time from an empty cluster
    local i
    for ((i = 0; i <= RUNS; i++)); do
        empty_cluster
        t=$(once "$1")
        ((i > 0)) && echo "$t"   # the first run warms up (and writes the launcher's archive for its JVM)
    done | median
}
unchanged_row() {
    local i
    empty_cluster
    once "$1" >/dev/null
    for ((i = 0; i < RUNS; i++)); do once "$1"; done | median
}

KUBECTL_CREATE=$(create_row kubectl_apply_and_wait)
PGK8S_CREATE=$(create_row pgk8s_deploy)
PGK8S25_CREATE=$(create_row pgk8s25_deploy)
KUBECTL_APPLY=$(unchanged_row kubectl_apply)
PGK8S_APPLY=$(unchanged_row pgk8s_deploy)
PGK8S25_APPLY=$(unchanged_row pgk8s25_deploy)
empty_cluster

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo
echo "medians in ms of $RUNS runs, kwok node; ratio = pgk8s / kubectl; java: $(java -version 2>&1 | head -n 1)"
printf '%-58s %8s %8s %7s %12s %7s\n' "" kubectl pgk8s ratio "pgk8s/Java25" ratio
printf '%-58s %8s %8s %7s %12s %7s\n' "apply, nothing changed (kubectl apply --server-side -f)" "$KUBECTL_APPLY" \
    "$PGK8S_APPLY" "$(ratio "$PGK8S_APPLY" "$KUBECTL_APPLY")" "$PGK8S25_APPLY" "$(ratio "$PGK8S25_APPLY" "$KUBECTL_APPLY")"
printf '%-58s %8s %8s %7s %12s %7s\n' "create until Ready (kubectl: apply, then rollout status)" "$KUBECTL_CREATE" \
    "$PGK8S_CREATE" "$(ratio "$PGK8S_CREATE" "$KUBECTL_CREATE")" "$PGK8S25_CREATE" "$(ratio "$PGK8S25_CREATE" "$KUBECTL_CREATE")"
echo "pgk8s deploy beyond the controllers' latency: $((PGK8S_CREATE - KUBECTL_CREATE)) ms," \
    "on Java 25: $((PGK8S25_CREATE - KUBECTL_CREATE)) ms (goal: at most 3000)"
