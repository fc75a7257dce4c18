#!/usr/bin/env bash
# Prints what a fresh e2e cluster holds besides the control plane: one fake node
# that kwok manages, a default StorageClass without a provisioner, and N hostPath
# PersistentVolumes for it (nothing provisions volumes here).
#
#   src/test/controlplane/cluster.sh [--no-fake-node] [--pv-dir DIR] [N] | kubectl apply -f -
#
# --pv-dir: the volumes are DIR/pv-<i>, which the caller made (for the real node: owned by uid 70, see
# start.sh), with hostPath type Directory so that a missing one fails instead of being made as root's.
set -euo pipefail
fake_node=true
pv_dir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-fake-node) fake_node=false; shift ;;
        --pv-dir) pv_dir="$2"; shift 2 ;;
        *) break ;;
    esac
done
pvs="${1:-0}"

$fake_node && cat <<'YAML'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-0
    kubernetes.io/os: linux
    type: kwok
status:
  allocatable:
    cpu: "16"
    memory: 64Gi
    pods: "110"
  capacity:
    cpu: "16"
    memory: 64Gi
    pods: "110"
---
YAML

cat <<'YAML'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Retain
YAML

for ((i = 0; i < pvs; i++)); do
    cat <<YAML
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-$i
spec:
  capacity:
    storage: 10Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  hostPath:
YAML
    if [[ -n "$pv_dir" ]]; then
        printf '    path: %s\n    type: Directory\n' "$pv_dir/pv-$i"
    else
        printf '    path: /tmp/pgk8s-pv-%s\n' "$i"
    fi
done
