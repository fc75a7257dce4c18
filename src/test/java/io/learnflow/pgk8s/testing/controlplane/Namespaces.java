package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Test namespaces that are ready for pods. */
public final class Namespaces {

    private Namespaces() {
    }

    /**
     * Creates a namespace and waits for its default ServiceAccount: until the controller-manager
     * has made it, the ServiceAccount admission plugin rejects every pod in the namespace.
     */
    public static Namespace create(KubernetesClient client, String name, Map<String, String> labels) {
        Namespace namespace = client.namespaces()
                .resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .create();
        client.serviceAccounts().inNamespace(name).withName("default")
                .waitUntilCondition(Objects::nonNull, 30, TimeUnit.SECONDS);
        return namespace;
    }

    /** Deletes the namespaces, and everything in them, and waits (by watching) until each is gone. */
    public static void deleteAndWait(KubernetesClient client, String... names) {
        for (String name : names) {
            client.namespaces().withName(name).delete();
        }
        for (String name : names) {
            client.namespaces().withName(name).waitUntilCondition(Objects::isNull, 3, TimeUnit.MINUTES);
        }
    }

    /** A pod that Pod Security {@code restricted} admits, with these labels, e.g. a database client. */
    public static Pod restrictedPod(String name, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true).withRunAsUser(1000L)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .addNewContainer()
                        .withName("main").withImage(name + ":1")
                        .withNewSecurityContext()
                            .withAllowPrivilegeEscalation(false)
                            .withNewCapabilities().withDrop("ALL").endCapabilities()
                        .endSecurityContext()
                    .endContainer()
                .endSpec()
                .build();
    }
}
