#!/usr/bin/env bash
# Starts a real Kubernetes control plane on loopback: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok with one fake node; or, with --real-node,
# instead of kwok a real node on this machine (node.sh: containerd, kubelet, kube-proxy, CoreDNS).
# Prints "binaries: DIR", "kubeconfig: PATH" and "ready in N s", then runs until Ctrl-C (or, with
# --stop-on-eof, until standard input closes, so it dies with the JVM that started it).
#
#   src/test/controlplane/start.sh [--dir DIR] [--pvs N] [--stop-on-eof] [--real-node]
#
# --real-node needs root and takes a machine-wide lock: one real node per machine. Stopping it
# restores the host (see node.sh) and fails if something is left.
# The binaries come from build.sh. Everything lives in DIR (default: a new folder
# under target/), and every component gets its own free port, so runs never collide.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir=""
pvs=4
stop_on_eof=false
real_node=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --pvs) pvs="$2"; shift 2 ;;
        --stop-on-eof) stop_on_eof=true; shift ;;
        --real-node) real_node=true; shift ;;
        *) echo "error: unknown option $1; see the header of $0" >&2; exit 2 ;;
    esac
done

bin="$("$here/build.sh" --bin-dir)"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwok-stages.yaml)
$real_node && binaries+=(kubelet kube-proxy coredns)
for b in "${binaries[@]}"; do
    if [[ ! -e "$bin/$b" ]]; then
        echo "error: $bin/$b is missing, run src/test/controlplane/build.sh (a cold build takes several minutes)" >&2
        exit 1
    fi
done
for tool in openssl curl; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed, apt-get install $tool" >&2; exit 1; }
done

if [[ -z "$dir" ]]; then
    dir="$here/../../../target/controlplane/$(date +%Y%m%d-%H%M%S)-$$"
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
if $real_node; then
    source "$here/node.sh"
    node_preflight
    node_lock "$dir"
fi
pki="$dir/pki"
logs="$dir/logs"
mkdir -p "$pki" "$logs"
started=$SECONDS
# A background job would read /dev/null; keep the real standard input for --stop-on-eof.
exec 3<&0

# Stops the components in reverse order of start, each within 10 s.
pids=()
declare -A pid_of
stop_one() {
    local n=0
    kill "$1" 2>/dev/null || return 0
    while kill -0 "$1" 2>/dev/null && ((n++ < 100)); do sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
stop() {
    local status=$?
    trap - EXIT INT TERM
    local i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        stop_one "${pids[i]}"
    done
    # etcd preallocates a 64 MB write-ahead log; the logs stay for inspection.
    rm -rf "$dir/etcd"
    echo "control plane stopped"
    if $real_node; then
        node_stop
        # A failed start keeps its own status; a clean stop fails when the host is not restored.
        ((status != 0)) || status=$node_stop_status
        exit "$status"
    fi
}
node_stop_status=0
trap stop EXIT
$real_node && node_record_host
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
    echo "error: $1" >&2
    [[ -n "${2:-}" && -f "$logs/$2.log" ]] && tail -n 30 "$logs/$2.log" >&2
    exit 1
}

# Ports below the kernel's ephemeral range, so outgoing connections never take them.
used_ports=" "
free_port() { # <variable>; not called as $(free_port): a subshell would forget used_ports
    local p
    while true; do
        p="$(shuf -i 20000-32000 -n 1)"
        [[ "$used_ports" == *" $p "* ]] && continue
        if ! (exec 9<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            used_ports+="$p "
            printf -v "$1" '%s' "$p"
            return
        fi
    done
}

# --- certificates -----------------------------------------------------------
sign() { # name subject extensions
    openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/$1.key" -subj "$2" -out "$pki/$1.csr" 2>/dev/null
    printf '%s\n' "$3" >"$pki/$1.ext"
    openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
        -days 7 -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -subj "/CN=pgk8s-e2e-ca" -days 7 2>/dev/null
client_ext="keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
sign apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
sign admin "/O=system:masters/CN=pgk8s-admin" "$client_ext"
sign controller-manager "/CN=system:kube-controller-manager" "$client_ext"
sign scheduler "/CN=system:kube-scheduler" "$client_ext"
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
$real_node && node_pki

free_port etcd_port
free_port etcd_peer_port
free_port api_port
free_port kcm_port
free_port sched_port
free_port kwok_port
apiserver_node_flags=()
$real_node && mapfile -t apiserver_node_flags < <(node_apiserver_flags)
server="https://127.0.0.1:$api_port"

kubeconfig() { # user
    local b64="base64 -w0"
    cat >"$dir/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: pgk8s-e2e
  cluster:
    server: $server
    certificate-authority-data: $($b64 "$pki/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $($b64 "$pki/$1.crt")
    client-key-data: $($b64 "$pki/$1.key")
contexts:
- name: pgk8s-e2e
  context:
    cluster: pgk8s-e2e
    user: $1
current-context: pgk8s-e2e
EOF
}
kubeconfig admin
kubeconfig controller-manager
kubeconfig scheduler

# --- processes --------------------------------------------------------------
# Runs a command in the background without the real node's lock, so that a process left by a killed
# run does not hold the machine: the next run finds it by its run directory and stops it (node.sh).
background() { # command...
    if [[ -n "${node_lock_fd:-}" ]]; then
        "$@" {node_lock_fd}>&- &
    else
        "$@" &
    fi
}

run() { # name args...
    local name="$1"
    shift
    background "$bin/$name" "$@" >"$logs/$name.log" 2>&1
    pids+=($!)
    pid_of[$name]=$!
}

wait_healthy() { # name url
    local deadline=$((SECONDS + ${PGK8S_COMPONENT_TIMEOUT:-90}))
    until curl -sfk --max-time 2 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
        -o /dev/null "$2"; do
        kill -0 "${pid_of[$1]}" 2>/dev/null || fail "$1 exited during start-up, see $logs/$1.log" "$1"
        ((SECONDS < deadline)) || fail "$1 was not healthy at $2 in time, see $logs/$1.log" "$1"
        sleep 0.2
    done
    echo "$1 healthy after $((SECONDS - started)) s"
}

run etcd --name e2e --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "e2e=http://127.0.0.1:$etcd_peer_port"
wait_healthy etcd "http://127.0.0.1:$etcd_port/health"

run kube-apiserver --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,NodeRestriction,PodSecurity,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota \
    --allow-privileged=true \
    --endpoint-reconciler-type none \
    --profiling=false "${apiserver_node_flags[@]}"
wait_healthy kube-apiserver "$server/readyz"

run kube-controller-manager --kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --leader-elect=false \
    --controllers '*' --use-service-account-credentials \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --profiling=false
run kube-scheduler --kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$sched_port" --leader-elect=false --profiling=false
# The real node replaces kwok's fake one, so that pods need no nodeSelector to land on it.
$real_node || run kwok --kubeconfig "$dir/admin.kubeconfig" --config "$bin/kwok-stages.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds 40 --server-address "127.0.0.1:$kwok_port"
wait_healthy kube-controller-manager "https://127.0.0.1:$kcm_port/healthz"
wait_healthy kube-scheduler "https://127.0.0.1:$sched_port/healthz"
$real_node || wait_healthy kwok "http://127.0.0.1:$kwok_port/healthz"

# --- cluster contents ----------------------------------------------------------
kubectl() { "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" "$@"; }
if $real_node; then
    # PostgreSQL runs as uid 70, and fsGroup does not apply to hostPath: each volume's directory is made here,
    # uid 70's and private, in the run directory (node.sh removes it on stop).
    for ((i = 0; i < pvs; i++)); do
        install -d -o 70 -g 70 -m 0700 "$dir/node/volumes/pv-$i"
    done
    "$here/cluster.sh" --no-fake-node --pv-dir "$dir/node/volumes" "$pvs" | kubectl apply -f - >"$logs/apply.log" 2>&1 \
        || fail "could not create the StorageClass" apply
else
    "$here/cluster.sh" "$pvs" | kubectl apply -f - >"$logs/apply.log" 2>&1 || fail "could not create the fake node" apply
    kubectl wait --for=condition=Ready node/kwok-node-0 --timeout=60s >>"$logs/apply.log" 2>&1 \
        || fail "the fake node did not become Ready" apply
fi
# Pods need the default ServiceAccount, which the controller-manager creates.
until kubectl get serviceaccount default -n default >/dev/null 2>&1; do
    ((SECONDS - started < 60)) || fail "no default ServiceAccount" kube-controller-manager
    sleep 0.2
done

$real_node && node_start

echo "binaries: $bin"
echo "kubeconfig: $dir/admin.kubeconfig"
echo "ready in $((SECONDS - started)) s"
if $stop_on_eof; then
    # Not `cat <&3`: a background command's standard input is /dev/null unless it names its own.
    background cat /dev/fd/3 >/dev/null
else
    background sleep infinity
fi
pids+=($!)
wait $!
