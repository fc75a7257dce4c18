#!/usr/bin/env bash
# The real node of `start.sh --real-node`: containerd with runc, kubelet, the CNI bridge,
# kube-proxy and CoreDNS, on this machine. start.sh sources this file and calls
#   node_lock, node_record_host, node_pki, node_start (after the control plane is up),
#   node_stop (from its exit trap),
# in that order. Run directly, it restores the host after a run that was killed with SIGKILL:
#
#   src/test/controlplane/node.sh --restore   undo what a dead run left on the host
#   src/test/controlplane/node.sh --check     exit 1 and say what is left, if anything
#
# The bridge, the pod subnet, iptables chains, /kubepods cgroups, sysctls and the DNS ClusterIP
# are machine-wide, so one real node runs per machine, guarded by a lock. What the node changes on
# the host is recorded (in $node_state) before it starts and restored on stop.
set -euo pipefail

node_name="pgk8s-node"
pod_cidr="10.244.0.0/24"
dns_ip="10.96.0.10"
bridge="cni0"
node_lock_file="/run/pgk8s-real-node.lock"
# The host's values before the node changed them; it outlives a killed run, so the next run or
# `node.sh --restore` puts them back.
node_state="/run/pgk8s-real-node.state"
# What kubelet (setupKernelTunables), the CNI bridge and kube-proxy may change.
node_sysctls=(kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom
    kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward
    net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.conf.all.route_localnet
    net.netfilter.nf_conntrack_max)

node_log() { echo "node: $*"; }

# Fails at once, naming the run that holds the node, unless PGK8S_NODE_LOCK_WAIT (seconds) says to wait.
node_lock() {
    exec {node_lock_fd}>>"$node_lock_file"
    if ! flock -w "${PGK8S_NODE_LOCK_WAIT:-0}" "$node_lock_fd"; then
        echo "error: another real node runs on this machine ($(cat "$node_lock_file.owner" 2>/dev/null || echo "owner unknown"));" \
            "one real node per machine: stop it, or set PGK8S_NODE_LOCK_WAIT=SECONDS to wait for it" >&2
        exit 1
    fi
    # A run killed with SIGKILL leaves its processes and its changes to the host: stop the one, restore
    # the other (node_record_host), before this run records the host anew.
    local dead_run
    dead_run="$(sed -n 's/^pid [0-9]*, run \(\/.*\)$/\1/p' "$node_lock_file.owner" 2>/dev/null)"
    if [[ -s "$node_state" && -n "$dead_run" ]]; then
        # Its directory may be gone (mvn clean): its daemons, found by command line, are not.
        node_log "the run in $dead_run died without restoring the host; stopping its processes"
        node_kill_run "$dead_run"
        [[ ! -d "$dead_run" ]] || node_dead_dir="$dead_run/node"
    fi
    echo "pid $$, run $1" >"$node_lock_file.owner"
}

# Kills, by pid, the processes whose command line names the run directory $1 (every daemon of a run does).
node_kill_run() {
    local f pid pids=()
    for f in /proc/[0-9]*/cmdline; do
        pid="${f#/proc/}"
        pid="${pid%/cmdline}"
        [[ "$pid" != "$$" ]] && tr '\0' ' ' 2>/dev/null <"$f" | grep -qF " $1/" && pids+=("$pid")
    done
    [[ ${#pids[@]} -eq 0 ]] || kill -9 "${pids[@]}" 2>/dev/null || true
    node_dir="$1/node"
    for pid in $(node_shims); do kill -9 "$pid" 2>/dev/null || true; done
    node_dir=""
}

node_preflight() {
    local missing=() tool
    [[ $EUID -eq 0 ]] || { echo "error: the real node needs root (kubelet, containerd, iptables); run as root" >&2; exit 1; }
    for tool in containerd ctr runc iptables ip6tables conntrack flock ip; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [[ -x /usr/sbin/runc ]] || missing+=(/usr/sbin/runc)
    for tool in bridge host-local portmap loopback; do
        [[ -x "/usr/lib/cni/$tool" ]] || missing+=("/usr/lib/cni/$tool")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "error: the real node needs ${missing[*]}; apt-get install containerd runc containernetworking-plugins iptables conntrack util-linux iproute2" >&2
        exit 1
    fi
    node_ip="$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')"
    [[ -n "$node_ip" ]] || { echo "error: no default IPv4 route; kubelet needs a non-loopback node IP" >&2; exit 1; }
}

# --- the host: record, restore, check ---------------------------------------------
node_record_host() {
    if [[ -s "$node_state" ]]; then
        node_log "a previous run did not restore the host, restoring it first"
        node_restore_host
    fi
    # Stopping removes every KUBE-/CNI- chain, the bridge and /kubepods: refuse to start beside another
    # Kubernetes node (or a run of ours that no state file records), whose networking that would break.
    local foreign
    foreign="$(node_leftovers | { grep -v '^sysctl ' || true; } | head -3 | paste -sd ';' -)"
    if [[ -n "$foreign" ]]; then
        echo "error: this machine already has Kubernetes networking or pods ($foreign); the real node would" \
            "take them over and remove them when it stops. Run it where no other node runs, or, if they are" \
            "a dead run's of this harness, remove them with: $here/node.sh --restore" >&2
        exit 1   # before node_dir is set: the exit trap's node_stop then leaves the host alone
    fi
    node_dir="$dir/node"
    local s v
    {
        for s in "${node_sysctls[@]}"; do
            v="$(sysctl -n "$s" 2>/dev/null)" && echo "sysctl $s $v"
        done
        # kubelet's device-plugin socket dir and containerd's shim sockets are fixed paths.
        for d in /var/log/containers /var/lib/cni /run/netns /run/containerd /var/lib/kubelet; do
            [[ -e "$d" ]] || echo "created $d"
        done
    } >"$node_state.tmp"
    mv "$node_state.tmp" "$node_state"
}

# Chains named KUBE-* or CNI-* in table $2 of $1 (iptables or ip6tables).
node_chains() { "$1" -w -t "$2" -S 2>/dev/null | sed -n 's/^-N \(\(KUBE\|CNI\)-[^ ]*\)$/\1/p'; }

node_flush_chains() {
    local ipt table chain rule
    for ipt in iptables ip6tables; do
        for table in filter nat mangle; do
            # Rules in any chain that jump to ours, then our chains themselves.
            "$ipt" -w -t "$table" -S 2>/dev/null | sed -n '/ -j \(KUBE\|CNI\)-/s/^-A /-D /p' | while read -r rule; do
                eval "$ipt -w -t $table $rule" 2>/dev/null || true
            done
            for chain in $(node_chains "$ipt" "$table"); do
                "$ipt" -w -t "$table" -F "$chain" 2>/dev/null || true
            done
            for chain in $(node_chains "$ipt" "$table"); do
                "$ipt" -w -t "$table" -X "$chain" 2>/dev/null || true
            done
        done
    done
}

# Removes every cgroup below /kubepods, deepest first, in every hierarchy.
node_remove_cgroups() {
    local h
    for h in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
        [[ -d "$h" ]] || continue
        find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
}

node_unmount_under() { # dir...
    local d m
    for d in "$@"; do
        [[ -n "$d" ]] || continue
        # Deepest first.
        for m in $(awk -v d="$d/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
            umount -l "$m" 2>/dev/null || true
        done
    done
}

node_restore_host() {
    local kind name value
    node_flush_chains
    ip link delete "$bridge" 2>/dev/null || true
    node_remove_cgroups
    node_unmount_under "${node_dir:-}" "${node_dead_dir:-}"
    # The PV directories the tests prepared (PersistentVolumes.createOnRealNode), with uid 70's data in them.
    [[ -z "${node_dead_dir:-}" ]] || rm -rf "$node_dead_dir/volumes" "$node_dead_dir/containerd-root"
    for f in /run/netns/cni-*; do
        [[ -e "$f" ]] && { umount "$f" 2>/dev/null || true; rm -f "$f"; }
    done
    # Container log links that point into this run's node directory, or into any run directory under target/.
    local target
    for f in /var/log/containers/*.log; do
        [[ -L "$f" ]] || continue
        target="$(readlink "$f")"
        if [[ $target == */controlplane/*/node/pod-logs/* || (-n "${node_dir:-}" && $target == "$node_dir"/pod-logs/*) ||
            (-n "${node_dead_dir:-}" && $target == "$node_dead_dir"/pod-logs/*) ]]; then
            rm -f "$f"
        fi
    done
    rm -rf /var/lib/cni/results /var/lib/cni/networks/pgk8s
    if [[ -s "$node_state" ]]; then
        while read -r kind name value; do
            case "$kind" in
                sysctl) sysctl -q -w "$name=$value" >/dev/null 2>&1 || node_log "cannot restore $name=$value" ;;
                created)
                    case "$name" in
                        /run/containerd | /var/lib/kubelet) rm -rf "$name" ;;
                        *) rmdir "$name" 2>/dev/null || true ;;
                    esac ;;
            esac
        done <"$node_state"
    fi
}

# Prints what the node left on the host, one line each; nothing when the host is clean.
node_leftovers() {
    local ipt table kind name value
    for ipt in iptables ip6tables; do
        for table in filter nat mangle; do
            node_chains "$ipt" "$table" | sed "s/^/$ipt chain $table\//"
        done
    done
    ip link show "$bridge" >/dev/null 2>&1 && echo "bridge $bridge"
    ls -d /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods 2>/dev/null | sed 's/^/cgroup /'
    ls -d /run/netns/cni-* 2>/dev/null | sed 's/^/netns /'
    awk '$5 ~ /\/controlplane\/[^/]*\/node\// {print "mount " $5}' /proc/self/mountinfo
    pgrep -f '/controlplane/[^ ]*/node/' -a | sed 's/^/process /'
    [[ -z "${node_dir:-}" || ! -e "$node_dir/volumes" ]] || echo "volumes $node_dir/volumes"
    if [[ -s "$node_state" ]]; then
        while read -r kind name value; do
            if [[ "$kind" == sysctl && "$(sysctl -n "$name" 2>/dev/null)" != "$value" ]]; then
                echo "sysctl $name=$(sysctl -n "$name") (was $value)"
            elif [[ "$kind" == created && -e "$name" ]]; then
                echo "created $name"
            fi
        done <"$node_state"
    fi
    return 0
}

# --- start ---------------------------------------------------------------------------
# The node's certificates, signed by the cluster CA with start.sh's sign().
node_pki() {
    sign kubelet "/O=system:nodes/CN=system:node:$node_name" "$client_ext"
    sign kubelet-serving "/CN=$node_name" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$node_ip,DNS:$node_name"
    sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client_ext"
    sign kube-proxy "/CN=system:kube-proxy" "$client_ext"
    sign coredns "/CN=pgk8s:coredns" "$client_ext"
}

# The apiserver's flags for reaching the kubelet (logs, exec, port-forward).
# Pods reach the API server through the kubernetes Service (10.96.0.1, in its certificate): it must listen
# beyond loopback, advertise the node's address and keep that Service's endpoint (kwok's tier needs none).
node_apiserver_flags() {
    printf '%s\n' --bind-address 0.0.0.0 --advertise-address "$node_ip" --endpoint-reconciler-type lease \
        --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
        --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
        --kubelet-certificate-authority "$pki/ca.crt" \
        --kubelet-preferred-address-types InternalIP
}

# Lines "image <ref> <archive>" from the images script (PGK8S_IMAGES_SCRIPT overrides it), which builds
# what is missing; `--list` alone when every image is built.
node_images() {
    local script="${PGK8S_IMAGES_SCRIPT:-$(cd "$here/.." && pwd)/realnode/images.sh}" listed t=$SECONDS
    if [[ ! -x "$script" ]]; then
        echo "error: $script is missing: the real node takes its images (pause, base, postgres, pgk8s) from it" >&2
        return 1
    fi
    if listed="$("$script" --list 2>>"$logs/images.log")" && [[ -n "$listed" ]] \
        && awk '$1 == "image" {print $3}' <<<"$listed" | while read -r a; do [[ -f "$a" ]] || exit 1; done; then
        echo "$listed"
        return 0
    fi
    node_log "building the images with $script (a cold build takes several minutes; log: $logs/images.log)" >&2
    if ! listed="$("$script" 2>>"$logs/images.log")"; then
        tail -n 30 "$logs/images.log" >&2
        echo "error: $script failed, see $logs/images.log" >&2
        return 1
    fi
    node_log "images built in $((SECONDS - t)) s" >&2
    echo "$listed"
}

# containerd's root (its images, unpacked, and the containers' snapshots) lives in the run directory, like
# everything else the node writes; the images are imported from their cached archives at each start (about
# 10 s; the pgk8s image changes with every build anyway). An older harness kept it in the cache: gone.
node_choose_root() {
    rm -rf "${PGK8S_CACHE:-$HOME/.cache/pgk8s}/node-containerd"
    node_root="$node_dir/containerd-root"
    mkdir -p "$node_root"
}

node_write_configs() {
    local c="$node_dir/containerd"
    mkdir -p "$c" "$node_dir/cni/net.d" "$node_dir/kubelet" "$node_dir/pod-logs" "$node_dir/coredns"
    pause_image="$(awk '$1 == "image" && $2 ~ /\/pause:/ {print $2}' <<<"$node_image_lines" | head -n 1)"
    [[ -n "$pause_image" ]] || { echo "error: the images script lists no pause image" >&2; return 1; }
    cat >"$c/config.toml" <<EOF
version = 2
root = "$node_root"
state = "$c/state"
oom_score = 0
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$c/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  # The VM withholds CAP_SYS_RESOURCE: oom_score_adj cannot go below 0.
  restrict_oom_score_adj = true
  disable_apparmor = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "$node_dir/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$node_dir/cni/net.d"
    max_conf_num = 1
EOF
    cat >"$node_dir/cni/net.d/10-pgk8s.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "pgk8s",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$pod_cidr"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$node_dir/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
    cat >"$node_dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz_port
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $pki/ca.crt
authorization:
  mode: Webhook
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
containerRuntimeEndpoint: unix://$c/containerd.sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
clusterDNS: [$dns_ip]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
podLogsDir: $node_dir/pod-logs
evictionHard:
  memory.available: 50Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
registerNode: true
rotateCertificates: false
serverTLSBootstrap: false
nodeStatusReportFrequency: 10s
EOF
    cat >"$node_dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $dir/kube-proxy.kubeconfig
hostnameOverride: $node_name
mode: iptables
clusterCIDR: $pod_cidr
healthzBindAddress: 127.0.0.1:$proxy_healthz_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
oomScoreAdj: 0
# The VM does not let kube-proxy raise conntrack limits; 0 leaves the kernel's values.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
iptables:
  localhostNodePorts: false
EOF
    cat >"$node_dir/coredns/Corefile" <<EOF
.:53 {
    bind $node_ip
    errors
    ready 127.0.0.1:$dns_ready_port
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $dir/coredns.kubeconfig pgk8s-e2e
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 30
}
EOF
}

# kube-dns at its fixed ClusterIP, its endpoint CoreDNS on the node IP, and what CoreDNS may read.
node_manifests() {
    cat <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: pgk8s:coredns
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: pgk8s:coredns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: pgk8s:coredns
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: pgk8s:coredns
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  clusterIP: $dns_ip
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-node
  namespace: kube-system
  labels:
    kubernetes.io/service-name: kube-dns
    endpointslice.kubernetes.io/managed-by: pgk8s-harness
addressType: IPv4
endpoints:
- addresses: [$node_ip]
  conditions: {ready: true}
  nodeName: $node_name
ports:
- {name: dns, port: 53, protocol: UDP}
- {name: dns-tcp, port: 53, protocol: TCP}
EOF
}

# Runs a node daemon like start.sh's run(), without the lock's file descriptor.
node_run() { # name args...
    local name="$1"
    shift
    "$@" >"$logs/$name.log" 2>&1 {node_lock_fd}>&- &
    pids+=($!)
    pid_of[$name]=$!
}

node_wait() { # name description command...
    local name="$1" what="$2" deadline=$((SECONDS + ${PGK8S_COMPONENT_TIMEOUT:-90}))
    shift 2
    until "$@" >/dev/null 2>&1; do
        kill -0 "${pid_of[$name]}" 2>/dev/null || fail "$name exited during start-up, see $logs/$name.log" "$name"
        ((SECONDS < deadline)) || fail "$what: not in time, see $logs/$name.log" "$name"
        sleep 0.2
    done
}

node_start() {
    local t
    free_port kubelet_port
    free_port kubelet_healthz_port
    free_port proxy_healthz_port
    free_port proxy_metrics_port
    free_port dns_ready_port
    kubeconfig kubelet
    kubeconfig kube-proxy
    kubeconfig coredns
    node_image_lines="$(node_images)" || fail "no images for the real node"
    node_choose_root
    node_write_configs

    t=$SECONDS
    node_run containerd containerd --config "$node_dir/containerd/config.toml"
    node_wait containerd "containerd" ctr --address "$node_dir/containerd/containerd.sock" version
    node_log "containerd up in $((SECONDS - t)) s"

    t=$SECONDS
    local ref archive
    while read -r _ ref archive; do
        ctr --address "$node_dir/containerd/containerd.sock" -n k8s.io images import \
            --snapshotter overlayfs "$archive" >>"$logs/images-import.log" 2>&1 \
            || fail "cannot import $archive ($ref) into containerd" images-import
    done < <(awk '$1 == "image"' <<<"$node_image_lines")
    node_log "images imported in $((SECONDS - t)) s: $(awk '$1 == "image" {printf "%s ", $2}' <<<"$node_image_lines")"

    t=$SECONDS
    node_run kubelet "$bin/kubelet" --config "$node_dir/kubelet.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
        --root-dir "$node_dir/kubelet" --node-ip "$node_ip" --hostname-override "$node_name" --v 2
    node_wait kubelet "kubelet registers node $node_name" \
        kubectl wait --for=condition=Ready "node/$node_name" --timeout=2s
    node_log "kubelet: node $node_name Ready in $((SECONDS - t)) s"

    kubectl apply -f - >>"$logs/apply.log" 2>&1 < <(node_manifests) || fail "cannot create kube-dns" apply
    node_run kube-proxy "$bin/kube-proxy" --config "$node_dir/kube-proxy.yaml" --v 2
    node_run coredns "$bin/coredns" -conf "$node_dir/coredns/Corefile"
    node_wait kube-proxy "kube-proxy healthy" curl -sf --max-time 2 "http://127.0.0.1:$proxy_healthz_port/healthz"
    node_wait coredns "CoreDNS ready" curl -sf --max-time 2 "http://127.0.0.1:$dns_ready_port/ready"
    node_log "kube-proxy and CoreDNS up in $((SECONDS - t)) s"
}

# The pids of the containerd shims of this run: they outlive containerd by design.
node_shims() {
    local f
    for f in /proc/[0-9]*/cmdline; do
        tr '\0' ' ' 2>/dev/null <"$f" | grep -q "^[^ ]*containerd-shim[^ ]* .*-address $node_dir/containerd/" \
            && { f="${f#/proc/}"; echo "${f%/cmdline}"; }
    done
    return 0
}

# Called by start.sh's stop() after the control plane is stopped: daemons are gone by then.
# It goes on past any failure, to restore as much as it can; what is left is reported at the end.
node_stop() {
    set +e
    [[ -n "${node_dir:-}" ]] || return 0
    local left t=$SECONDS
    # Containers outlive containerd and kubelet: their shims keep them. Kill what runs in pod cgroups.
    local h pid shims=()
    for h in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
        [[ -d "$h" ]] && find "$h" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | xargs -r kill -9 2>/dev/null || true
    done
    for pid in $(node_shims); do
        kill -9 "$pid" 2>/dev/null && shims+=("$pid")
    done
    if [[ -x "$bin/kube-proxy" ]]; then
        "$bin/kube-proxy" --cleanup >>"$logs/kube-proxy-cleanup.log" 2>&1 || true
    fi
    # The killed shims must be gone before their snapshots are unmounted and the root removed.
    local n=0
    for pid in "${shims[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((n++ < 50)); do sleep 0.1; done
    done
    node_restore_host
    # After node_restore_host unmounted the snapshots under the run directory.
    rm -rf "$node_dir/containerd-root"
    rm -rf "$node_dir/volumes"
    left="$(node_leftovers)"
    if [[ -n "$left" ]]; then
        echo "error: the host is not restored:" >&2
        echo "$left" >&2
        node_stop_status=1
    else
        rm -f "$node_state"
        node_log "host restored in $((SECONDS - t)) s (no process, chain, bridge, cgroup or mount left; sysctls as before)"
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    case "${1:-}" in
        --restore)
            node_lock "node.sh --restore"
            node_dir=""
            node_restore_host
            left="$(node_leftovers)"
            [[ -z "$left" ]] || { echo "error: still left on the host:" >&2; echo "$left" >&2; exit 1; }
            rm -f "$node_state"
            echo "node: host restored" ;;
        --check)
            left="$(node_leftovers)"
            [[ -z "$left" ]] || { echo "$left"; exit 1; } ;;
        *) echo "error: unknown option ${1:-}; see the header of $0" >&2; exit 2 ;;
    esac
fi
