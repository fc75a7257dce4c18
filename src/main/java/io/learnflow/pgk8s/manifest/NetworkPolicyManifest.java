package io.learnflow.pgk8s.manifest;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.learnflow.pgk8s.profile.Profile;

/**
 * Ingress to the PostgreSQL pods on 5432 only, and only from pods in any namespace that carry
 * {@link Profile#CLIENT_LABEL}{@code : "true"} (spec 5.3). Exec probes are not network traffic.
 */
public final class NetworkPolicyManifest {
    private NetworkPolicyManifest() {
    }

    public static NetworkPolicy build(Profile profile) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                    .withName(profile.networkPolicyName())
                    .withNamespace(profile.namespace())
                    .withLabels(Labels.common(profile))
                .endMetadata()
                .withNewSpec()
                    .withNewPodSelector()
                        .withMatchLabels(Labels.selector(profile))
                    .endPodSelector()
                    .withPolicyTypes("Ingress")
                    .addNewIngress()
                        .addNewFrom()
                            // An empty namespaceSelector with a podSelector: labelled pods in every namespace.
                            .withNewNamespaceSelector()
                            .endNamespaceSelector()
                            .withNewPodSelector()
                                .addToMatchLabels(Profile.CLIENT_LABEL, "true")
                            .endPodSelector()
                        .endFrom()
                        .addNewPort()
                            .withProtocol("TCP")
                            .withPort(new IntOrString(profile.port()))
                        .endPort()
                    .endIngress()
                .endSpec()
                .build();
    }
}
