#!/usr/bin/env bash
# Prints what a fresh e2e cluster holds besides the control plane: one fake node
# that kwok manages, a default StorageClass without a provisioner, and N hostPath
# PersistentVolumes for it (nothing provisions volumes here).
#
#   src/test/controlplane/cluster.sh [--no-fake-node] [N] | kubectl apply -f -
set -euo pipefail
fake_node=true
if [[ "${1:-}" == "--no-fake-node" ]]; then
    fake_node=false
    shift
fi
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
    path: /tmp/pgk8s-pv-$i
YAML
done
