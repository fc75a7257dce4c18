#!/usr/bin/env bash
# Builds the e2e control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok), the real node's kubelet, kube-proxy and CoreDNS, and the
# manifest linter kubeconform
# from the Go module proxy into a cache outside the repository, with kwok's stage
# files from its module beside them.
# Only missing or outdated files are made, so a second run is a no-op.
#
#   src/test/controlplane/build.sh            build what is missing
#   src/test/controlplane/build.sh --bin-dir  print the binary directory and exit
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

module_version() { # <module dir> <module path>
    sed -n "s#^[[:space:]]*\(require \)\{0,1\}$2 \(v[^[:space:]]*\).*#\2#p" "$here/$1/go.mod" | head -n 1
}

kube_version="$(module_version kube k8s.io/kubernetes)"
etcd_version="$(module_version etcd go.etcd.io/etcd/server/v3)"
kwok_version="$(module_version kwok sigs.k8s.io/kwok)"
coredns_version="$(module_version coredns github.com/coredns/coredns)"
kubeconform_version="$(module_version kubeconform github.com/yannh/kubeconform)"
bin_dir="${PGK8S_CACHE:-$HOME/.cache/pgk8s}/controlplane/$kube_version/bin"

if [[ "${1:-}" == "--bin-dir" ]]; then
    echo "$bin_dir"
    exit 0
fi

command -v go >/dev/null || "$here/ensure-go.sh"

kube_minor="${kube_version#v1.}"
kube_minor="${kube_minor%%.*}"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor"
    kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

# name|module dir|package|version|ldflags
targets=(
    "etcd|etcd|go.etcd.io/etcd/server/v3|$etcd_version|-s -w"
    "kube-apiserver|kube|k8s.io/kubernetes/cmd/kube-apiserver|$kube_version|$kube_ldflags"
    "kube-controller-manager|kube|k8s.io/kubernetes/cmd/kube-controller-manager|$kube_version|$kube_ldflags"
    "kube-scheduler|kube|k8s.io/kubernetes/cmd/kube-scheduler|$kube_version|$kube_ldflags"
    "kubectl|kube|k8s.io/kubernetes/cmd/kubectl|$kube_version|$kube_ldflags"
    "kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|$kwok_version|-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}"
    # The real node (start.sh --real-node).
    "kubelet|kube|k8s.io/kubernetes/cmd/kubelet|$kube_version|$kube_ldflags"
    "kube-proxy|kube|k8s.io/kubernetes/cmd/kube-proxy|$kube_version|$kube_ldflags"
    "coredns|coredns|github.com/coredns/coredns|$coredns_version|-s -w"
    # The manifest linter of ManifestLintE2E.
    "kubeconform|kubeconform|github.com/yannh/kubeconform/cmd/kubeconform|$kubeconform_version|-s -w -X main.version=$kubeconform_version"
)

missing=()
for target in "${targets[@]}"; do
    IFS='|' read -r name _ _ version _ <<<"$target"
    # A stamp per binary records the module version it was built from.
    if [[ ! -x "$bin_dir/$name" || "$(cat "$bin_dir/$name.version" 2>/dev/null)" != "$version" ]]; then
        missing+=("$target")
    fi
done

# kwok has no stages built in: it takes them from its module, the set kwokctl uses by default
# (kustomize/stage/fast: nodes and pods Ready at once, node heartbeats by lease, Job pods complete).
stages="$bin_dir/kwok-stages.yaml"
stages_stale=false
[[ -f "$stages" && "$(cat "$stages.version" 2>/dev/null)" == "$kwok_version" ]] || stages_stale=true

# The files a kustomization.yaml lists under resources, its directories' files in turn.
kustomization_files() { # <dir>
    local entry
    for entry in $(sed -n '/^resources:/,/^[^-[:space:]]/s/^[[:space:]]*-[[:space:]]*//p' "$1/kustomization.yaml"); do
        if [[ -d "$1/$entry" ]]; then
            kustomization_files "$1/$entry"
        else
            echo "$1/$entry"
        fi
    done
}
if $stages_stale; then
    mkdir -p "$bin_dir"
    kwok_dir="$(cd "$here/kwok" && go mod download sigs.k8s.io/kwok && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
    files="$(kustomization_files "$kwok_dir/kustomize/stage/fast")"
    [[ -n "$files" ]] || { echo "error: no stages listed in $kwok_dir/kustomize/stage/fast" >&2; exit 1; }
    {
        echo "# kwok's stage set 'fast' from sigs.k8s.io/kwok@$kwok_version, joined by src/test/controlplane/build.sh"
        separator=""
        for f in $files; do
            printf '%s' "$separator"
            cat "$f"
            separator=$'---\n'
        done
    } >"$stages.tmp.$$"
    mv "$stages.tmp.$$" "$stages"
    echo "$kwok_version" >"$stages.version"
    echo "kwok stages: $(grep -c '^kind: Stage' "$stages") from $kwok_dir/kustomize/stage/fast"
fi
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "control plane $kube_version: all binaries cached in $bin_dir"
    exit 0
fi

echo "control plane $kube_version: building ${#missing[@]} binaries into $bin_dir"
echo "A cold build on 2 cores takes about 13 minutes (the control plane alone: 473 s with empty Go caches; kubelet,"
echo "kube-proxy and CoreDNS about 5 minutes more); later runs reuse the cache."
mkdir -p "$bin_dir"
start_all=$SECONDS
for target in "${missing[@]}"; do
    IFS='|' read -r name dir pkg version ldflags <<<"$target"
    echo "building $name $version ..."
    start=$SECONDS
    (cd "$here/$dir" && CGO_ENABLED=0 go build -p "${PGK8S_BUILD_JOBS:-2}" -trimpath -buildvcs=false \
        -ldflags "$ldflags" -o "$bin_dir/$name.tmp.$$" "$pkg")
    mv "$bin_dir/$name.tmp.$$" "$bin_dir/$name"
    echo "$version" >"$bin_dir/$name.version"
    echo "built $name in $((SECONDS - start)) s"
done
echo "control plane $kube_version: built in $((SECONDS - start_all)) s"
