#!/usr/bin/env bash
# pgk8s connection and wait inside the production JVM image (Dockerfile: Java 25, the AOT cache its build made,
# the launcher's C1 and serial GC) next to the same image run as a plain JVM (java -jar quarkus-run.jar: no
# cache, default flags), in a pod on the test tier's real node with the init container's limits (1 CPU,
# 256Mi) and read-only root. The pod times each run itself (date +%s%N), so neither pod start nor image pull
# counts. Also prints the image's size with and without `pgk8s local`'s PostgreSQL binaries.
# Needs root (the real node, one per machine). Build first: mvn -B -q package -DskipTests
#
#   bench/image.sh              7 runs of each
#   RUNS=3 bench/image.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
OUT=$PWD/bench/out/image
[[ -f target/quarkus-app/quarkus-run.jar ]] ||
    { echo "error: target/quarkus-app is missing, run mvn -B -q package -DskipTests" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "error: the real node needs root" >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT"
. bench/lib.sh

# --- the image both ways ------------------------------------------------------------------------------------
started=$(date +%s)
images=$(src/test/realnode/images.sh --load 2>"$OUT/images.log")
podman() { src/test/realnode/images.sh podman "$@"; }
IMAGE=$(awk '$1 == "image" && $2 ~ /pgk8s\/pgk8s:/ {print $2}' <<<"$images")
POSTGRES=$(awk '$1 == "image" && $2 ~ /pgk8s\/postgres:/ {print $2}' <<<"$images")
podman build --pull=never --network host --layers=false --format docker --build-arg LOCAL_POSTGRES=yes \
    --build-arg BASE_IMAGE=localhost/pgk8s/jre:25 -t localhost/pgk8s/pgk8s:bench-local -f Dockerfile . \
    >"$OUT/build-local.log" 2>&1 || { tail "$OUT/build-local.log" >&2; exit 1; }
size() { podman image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f", $1 / 1000000}'; }
SIZE=$(size "$IMAGE")
SIZE_LOCAL=$(size localhost/pgk8s/pgk8s:bench-local)
podman rmi localhost/pgk8s/pgk8s:bench-local >/dev/null
echo "images ready in $(($(date +%s) - started)) s"

# --- the real node, a dev PostgreSQL, migrated --------------------------------------------------------------
start_cluster --real-node
target/quarkus-app/pgk8s deploy dev --image "$POSTGRES" --timeout 300 2>"$OUT/deploy.log"

# --- the pod: both ways, the same runs ------------------------------------------------------------------------
"$KUBECTL" create namespace bench >/dev/null
"$KUBECTL" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: bench
  namespace: bench
  labels: {learnflow.io/postgres-client: "true"}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, runAsUser: 1001, runAsGroup: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: bench
      image: $IMAGE
      imagePullPolicy: Never
      command: [/bin/sh, -c]
      args:
        - |
          t() { s=\$(date +%s%N); "\$@" >/dev/null 2>&1 || echo "failed: \$*" >&2; e=\$(date +%s%N); echo \$(((e - s) / 1000000)); }
          median() { sort -n | awk '{ v[NR] = \$1 } END { print v[int((NR + 1) / 2)] }'; }
          image() { /work/pgk8s "\$@"; }
          plain() { java -jar /work/quarkus-run.jar "\$@"; }
          image migrate --wait 120 >&2
          for way in image plain; do
              \$way connection >/dev/null 2>&1
              c=\$(for i in \$(seq $RUNS); do t \$way connection; done | median)
              w=\$(for i in \$(seq $RUNS); do t \$way wait --timeout 30; done | median)
              echo "\$way \$c \$w"
          done
      env:
        - {name: PGHOST, value: postgres.postgres.svc.cluster.local}
        - {name: PGUSER, value: learnflow_user}
        - {name: PGDATABASE, value: learnflow}
        - {name: PGPASSWORD, value: dev_password_change_in_prod}
      resources:
        requests: {cpu: 100m, memory: 256Mi}
        limits: {cpu: "1", memory: 256Mi}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
      volumeMounts: [{name: tmp, mountPath: /tmp}]
  volumes: [{name: tmp, emptyDir: {}}]
EOF
"$KUBECTL" wait -n bench --for=jsonpath='{.status.phase}'=Succeeded pod/bench --timeout=900s >/dev/null ||
    { "$KUBECTL" logs -n bench bench >&2 || :; exit 1; }
"$KUBECTL" logs -n bench bench >"$OUT/pod.log"
"$KUBECTL" delete namespace bench --wait=false >/dev/null
read -r _ IMAGE_CONNECTION IMAGE_WAIT < <(grep '^image ' "$OUT/pod.log")
read -r _ PLAIN_CONNECTION PLAIN_WAIT < <(grep '^plain ' "$OUT/pod.log")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo
echo "medians in ms of $RUNS runs in a pod on the real node (1 CPU, 256Mi, read-only root); ratio = image / plain"
printf '%-22s %16s %16s %8s\n' "" "image (AOT cache)" "plain java -jar" ratio
printf '%-22s %16s %16s %8s\n' "pgk8s connection" "$IMAGE_CONNECTION" "$PLAIN_CONNECTION" "$(ratio "$IMAGE_CONNECTION" "$PLAIN_CONNECTION")"
printf '%-22s %16s %16s %8s\n' "pgk8s wait (migrated)" "$IMAGE_WAIT" "$PLAIN_WAIT" "$(ratio "$IMAGE_WAIT" "$PLAIN_WAIT")"
echo "image size: $SIZE MB; with local's PostgreSQL binaries (LOCAL_POSTGRES=yes): $SIZE_LOCAL MB"
