package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Pre-creates hostPath PersistentVolumes, since nothing provisions volumes on the e2e cluster. */
public final class PersistentVolumes {

    /** The default StorageClass of the e2e cluster: no provisioner, binding on first consumer. */
    public static final String STORAGE_CLASS = "standard";

    private PersistentVolumes() {
    }

    /** Creates {@code count} ReadWriteOnce volumes of {@code size} in {@link #STORAGE_CLASS}. */
    public static List<PersistentVolume> create(KubernetesClient client, int count, String size) {
        String prefix = "pv-" + UUID.randomUUID().toString().substring(0, 8);
        return IntStream.range(0, count)
                .mapToObj(i -> client.persistentVolumes().resource(volume(prefix + "-" + i, size)).create())
                .toList();
    }

    private static PersistentVolume volume(String name, String size) {
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
                        .withPath("/tmp/pgk8s/" + name)
                    .endHostPath()
                .endSpec()
                .build();
    }
}
