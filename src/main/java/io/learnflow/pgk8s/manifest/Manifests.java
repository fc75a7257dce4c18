package io.learnflow.pgk8s.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.learnflow.pgk8s.profile.Profile;

/** Every object of a deployment, in apply order: what each object refers to comes before it. */
public final class Manifests {
    private Manifests() {
    }

    /**
     * @param credentials   the passwords for the three Secrets; empty leaves the Secrets out (a prod render,
     *                      whose Secrets {@code deploy} or the user makes)
     * @param initialSchema the text of {@code migrations/001_initial_schema.sql}
     */
    public static List<HasMetadata> build(Profile profile, Optional<Credentials> credentials, String initialSchema) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(NamespaceManifest.build(profile));
        credentials.ifPresent(c -> {
            objects.add(SecretManifests.superuser(profile, c));
            objects.add(SecretManifests.credentials(profile, c));
            objects.add(SecretManifests.app(profile, c));
        });
        objects.add(InitScriptsConfigMap.build(profile, initialSchema));
        objects.add(ServiceManifests.headless(profile));
        objects.add(ServiceManifests.clusterIp(profile));
        objects.add(NetworkPolicyManifest.build(profile));
        objects.add(StatefulSetManifest.build(profile));
        return objects;
    }

    /** What {@code render} prints and {@code k8s/postgres/} holds: the dev Secrets, never a prod password. */
    public static List<HasMetadata> forRender(Profile profile, String initialSchema) {
        return build(profile, Credentials.fixed(profile), initialSchema);
    }

    /** The parts of the system, each a directory of {@code k8s/} and a {@code render --component}. */
    public enum Component {
        /** PostgreSQL itself: what {@code deploy} applies. */
        POSTGRES,
        /** The toolkit's ServiceAccount and rights, the bootstrap and migration Jobs, the CronJob. */
        PGK8S,
        /** The example services, Progress and Triage, with their {@code pgk8s wait} init containers. */
        SERVICES;

        public String directory() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A component's objects in apply order, with dev's Secrets and never a prod password. */
    public static List<HasMetadata> forRender(Component component, Profile profile, String initialSchema) {
        return switch (component) {
            case POSTGRES -> forRender(profile, initialSchema);
            case PGK8S -> List.of(NamespaceManifest.build(profile), ToolkitRbac.serviceAccount(profile),
                    ToolkitRbac.role(profile), ToolkitRbac.roleBinding(profile), ToolkitRbac.namespaceRole(profile),
                    ToolkitRbac.namespaceRoleBinding(profile), Toolkit.bootstrapJob(profile),
                    Toolkit.migrateJob(profile), Toolkit.migrateCronJob(profile));
            case SERVICES -> {
                List<HasMetadata> objects = new ArrayList<>();
                objects.add(ServicesManifests.namespace(profile));
                Credentials.fixed(profile).ifPresent(c -> objects.add(ServicesManifests.appSecretCopy(profile, c)));
                Profile.SERVICES.forEach(service -> objects.add(ServicesManifests.deployment(profile, service)));
                yield objects;
            }
        };
    }

    /** kubectl's name for an object: {@code statefulset.apps/postgres}. */
    public static String displayName(HasMetadata object) {
        String group = object.getApiVersion().contains("/")
                ? "." + object.getApiVersion().substring(0, object.getApiVersion().indexOf('/'))
                : "";
        return object.getKind().toLowerCase(java.util.Locale.ROOT) + group + "/" + object.getMetadata().getName();
    }
}
