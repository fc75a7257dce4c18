package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Pre-creates hostPath PersistentVolumes, since nothing provisions volumes on the e2e cluster. */
public final class PersistentVolumes {

    /** The default StorageClass of the e2e cluster: no provisioner, binding on first consumer. */
    public static final String STORAGE_CLASS = "standard";
    /** Where the real node's volumes live, in its run directory; node.sh removes it when the node stops. */
    public static final String REAL_NODE_VOLUMES = "node/volumes";

    private PersistentVolumes() {
    }

    /** Creates {@code count} ReadWriteOnce volumes of {@code size} in {@link #STORAGE_CLASS}, for kwok's node. */
    public static List<PersistentVolume> create(KubernetesClient client, int count, String size) {
        String prefix = newName();
        return IntStream.range(0, count)
                .mapToObj(i -> client.persistentVolumes().resource(
                        volume(prefix + "-" + i, size, "/tmp/pgk8s/" + prefix + "-" + i, null).build()).create())
                .toList();
    }

    /**
     * A ReadWriteOnce volume on the real node, reserved for claim {@code namespace/claim}, whose host directory
     * is made first: under the run directory, owned by uid and gid {@link RealNodeImages#UID}, mode 0700. A
     * missing hostPath directory would be made root's 0755 by containerd, and fsGroup does not apply to hostPath,
     * so PostgreSQL could not write there.
     */
    public static PersistentVolume createOnRealNode(ControlPlane node, String size, String namespace, String claim) {
        if (node.tier() != Tier.REAL_NODE) {
            throw new IllegalArgumentException("a prepared host directory needs the real node, not " + node.tier());
        }
        String name = newName();
        Path dir = node.runDirectory().resolve(REAL_NODE_VOLUMES).resolve(name);
        try {
            Files.createDirectories(dir);
            Files.setAttribute(dir, "unix:uid", (int) RealNodeImages.UID);
            Files.setAttribute(dir, "unix:gid", (int) RealNodeImages.UID);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the host directory " + dir, e);
        }
        return node.client().persistentVolumes().resource(volume(name, size, dir.toString(), "Directory")
                .editSpec()
                    .withNewClaimRef()
                        .withNamespace(namespace)
                        .withName(claim)
                    .endClaimRef()
                .endSpec()
                .build()).create();
    }

    private static String newName() {
        return "pv-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // hostPath type Directory: a missing directory fails the pod instead of being made as root's.
    private static PersistentVolumeBuilder volume(String name, String size, String path, String type) {
        return new PersistentVolumeBuilder()
                .withNewMetadata()
                    .withName(name)
                .endMetadata()
                .withNewSpec()
                    .addToCapacity("storage", new Quantity(size))
                    .withAccessModes("ReadWriteOnce")
                    .withPersistentVolumeReclaimPolicy("Retain")
                    .withStorageClassName(STORAGE_CLASS)
                    .withNewHostPath()
                        .withPath(path)
                        .withType(type)
                    .endHostPath()
                .endSpec();
    }
}
