package io.learnflow.pgk8s.manifest;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.learnflow.pgk8s.profile.Profile;

/** The ClusterIP Service that clients use (spec 4.2), and the headless one that names the StatefulSet's pod. */
public final class ServiceManifests {
    /** The container port's name; Services target it by name. */
    public static final String PORT_NAME = "postgres";

    private ServiceManifests() {
    }

    /** {@code postgres}: ClusterIP, 5432, the host part of {@code postgres.postgres.svc.cluster.local}. */
    public static Service clusterIp(Profile profile) {
        return service(profile, profile.serviceName(), false);
    }

    /** {@code postgres-headless}: gives {@code postgres-0} its DNS name, also before it is ready. */
    public static Service headless(Profile profile) {
        return service(profile, profile.headlessServiceName(), true);
    }

    private static Service service(Profile profile, String name, boolean headless) {
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(profile.namespace())
                    .withLabels(Labels.common(profile))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withClusterIP(headless ? "None" : null)
                    .withPublishNotReadyAddresses(headless ? Boolean.TRUE : null)
                    .withSelector(Labels.selector(profile))
                    .addNewPort()
                        .withName(PORT_NAME)
                        .withProtocol("TCP")
                        .withPort(profile.port())
                        .withTargetPort(new IntOrString(PORT_NAME))
                    .endPort()
                .endSpec()
                .build();
    }
}
