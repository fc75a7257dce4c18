package io.learnflow.pgk8s.manifest;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.learnflow.pgk8s.profile.Profile;

/** The {@code postgres} namespace, where Pod Security admission enforces {@code restricted}. */
public final class NamespaceManifest {
    static final String RESTRICTED = "restricted";

    private NamespaceManifest() {
    }

    public static Namespace build(Profile profile) {
        Map<String, String> labels = Labels.common(profile);
        for (String mode : new String[] { "enforce", "warn", "audit" }) {
            labels.put("pod-security.kubernetes.io/" + mode, RESTRICTED);
        }
        return new NamespaceBuilder()
                .withNewMetadata()
                    .withName(profile.namespace())
                    .withLabels(labels)
                .endMetadata()
                .build();
    }
}
