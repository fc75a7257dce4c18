# Timing helpers shared by the bench scripts; they write to "$OUT".
once() {   # wall ms of one run; the bench stops if the command fails
    local start end
    start=$(date +%s%N)
    "$@" >>"$OUT/stdout.log" 2>>"$OUT/stderr.log" || { echo "error: failed: $*" >&2; tail -3 "$OUT/stderr.log" >&2; exit 1; }
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# start_cluster ARGS...: the test tier's control plane (src/test/controlplane/start.sh ARGS) in "$OUT/cluster",
# stopped when the script exits (SIGTERM: start.sh stops it, and a real node restores the host). Sets
# KUBECONFIG and KUBECTL.
start_cluster() {
    local started=$SECONDS
    exec 3< <(tail -f /dev/null)   # start.sh --stop-on-eof reads its standard input
    bash src/test/controlplane/start.sh --dir "$OUT/cluster" --stop-on-eof "$@" <&3 >"$OUT/cluster.log" 2>&1 &
    CLUSTER_PID=$!
    trap 'exec 3<&-; kill $CLUSTER_PID 2>/dev/null; wait $CLUSTER_PID 2>/dev/null || true' EXIT
    for _ in $(seq 3000); do grep -q '^ready in ' "$OUT/cluster.log" && break; kill -0 $CLUSTER_PID || break; sleep 0.2; done
    grep -q '^ready in ' "$OUT/cluster.log" ||
        { echo "error: the control plane did not start:" >&2; tail "$OUT/cluster.log" >&2; exit 1; }
    export KUBECONFIG=$OUT/cluster/admin.kubeconfig
    KUBECTL=$(sed -n 's/^binaries: //p' "$OUT/cluster.log")/kubectl
    echo "control plane ready in $((SECONDS - started)) s"
}
