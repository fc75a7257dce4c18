package io.learnflow.pgk8s.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.learnflow.pgk8s.profile.Profile;

/**
 * Example services that use the database (spec 12: Progress and Triage), in a namespace of their own: an init
 * container runs {@code pgk8s wait} with the app Secret's libpq variables, so the service starts only once the
 * database is up and migrated. They need no Kubernetes API, and carry the NetworkPolicy's client label.
 */
public final class ServicesManifests {
    private ServicesManifests() {
    }

    public static Namespace namespace(Profile profile) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PART_OF, "learnflow");
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        for (String mode : new String[] { "enforce", "warn", "audit" }) {
            labels.put("pod-security.kubernetes.io/" + mode, NamespaceManifest.RESTRICTED);
        }
        return new NamespaceBuilder()
                .withNewMetadata()
                    .withName(Profile.SERVICES_NAMESPACE)
                    .withLabels(labels)
                .endMetadata()
                .build();
    }

    /**
     * The app Secret, copied into the services' namespace: a pod can only read Secrets of its own namespace. For
     * dev only, whose password is fixed; prod's is copied as the README shows.
     */
    public static Secret appSecretCopy(Profile profile, Credentials credentials) {
        Secret app = SecretManifests.app(profile, credentials);
        return new SecretBuilder(app)
                .editMetadata()
                    .withNamespace(Profile.SERVICES_NAMESPACE)
                .endMetadata()
                .build();
    }

    public static Deployment deployment(Profile profile, String service) {
        Map<String, String> selector = Map.of(Labels.NAME, service);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAME, service);
        labels.put(Labels.PART_OF, "learnflow");
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(service)
                    .withNamespace(Profile.SERVICES_NAMESPACE)
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                        .withMatchLabels(selector)
                    .endSelector()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Toolkit.clientLabels(labels))
                        .endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withSecurityContext(Restricted.pod(Profile.TOOLKIT_UID))
                            .withInitContainers(Toolkit.container(profile, "wait-for-postgres", java.util.List.of("wait"),
                                    true))
                            .addNewContainer()
                                .withName(service)
                                .withImage(Profile.SERVICES_IMAGE_PREFIX + service + Profile.SERVICES_IMAGE_TAG)
                                .withImagePullPolicy("IfNotPresent")
                                .addNewEnvFrom()
                                    .withNewSecretRef()
                                        .withName(profile.appSecretName())
                                    .endSecretRef()
                                .endEnvFrom()
                                .withResources(Restricted.toolkitResources())
                                .withSecurityContext(Restricted.container())
                                .withVolumeMounts(Restricted.tmpMount())
                            .endContainer()
                            .withVolumes(Restricted.tmpVolume())
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
