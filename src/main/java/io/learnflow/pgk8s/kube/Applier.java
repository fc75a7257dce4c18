package io.learnflow.pgk8s.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ServerSideApplicable;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.learnflow.pgk8s.manifest.Labels;
import io.learnflow.pgk8s.manifest.Manifests;

/**
 * Server-side apply with one field manager ({@value Labels#MANAGER}), and kubectl's verdict per object. An apply
 * that changes nothing leaves the object's resourceVersion as it was: that is "unchanged".
 *
 * @param dryRun         the API server's server-side dry run: validated and admitted, never stored
 * @param forceConflicts take over fields that another field manager owns
 */
public record Applier(KubernetesClient client, boolean dryRun, boolean forceConflicts) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public enum Action {
        CREATED, CONFIGURED, UNCHANGED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** kubectl's line for an object: {@code statefulset.apps/postgres configured}. */
    public record Applied(String name, Action action, HasMetadata result) {
        public String line(boolean dryRun) {
            return name + " " + action.word() + (dryRun ? " (server dry run)" : "");
        }
    }

    /** @throws io.learnflow.pgk8s.Pgk8sException exit 1 with the reason, e.g. forbidden or a conflict */
    public Applied apply(HasMetadata desired) {
        String name = Manifests.displayName(desired);
        try {
            Resource<HasMetadata> resource = client.resource(desired);
            HasMetadata current = resource.get();
            ServerSideApplicable<HasMetadata> apply = (dryRun ? resource.dryRun() : resource).fieldManager(Labels.MANAGER);
            HasMetadata result = (forceConflicts ? apply.forceConflicts() : apply).serverSideApply();
            return new Applied(name, action(current, result), result);
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, client.getMasterUrl(), name);
        }
    }

    /** Creates the object only when it is missing, and never changes one that exists (a prod Secret). */
    public Applied createIfMissing(HasMetadata desired) {
        String name = Manifests.displayName(desired);
        try {
            Resource<HasMetadata> resource = client.resource(desired);
            HasMetadata current = resource.get();
            if (current != null) {
                return new Applied(name, Action.UNCHANGED, current);
            }
            HasMetadata created = dryRun ? resource.dryRun().create() : resource.create();
            return new Applied(name, Action.CREATED, created);
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, client.getMasterUrl(), name);
        }
    }

    private Action action(HasMetadata current, HasMetadata result) {
        if (current == null) {
            return Action.CREATED;
        }
        if (!dryRun) {
            return current.getMetadata().getResourceVersion().equals(result.getMetadata().getResourceVersion())
                    ? Action.UNCHANGED
                    : Action.CONFIGURED;
        }
        // A dry run stores nothing, so compare what it returns with what is there.
        return comparable(current).equals(comparable(result)) ? Action.UNCHANGED : Action.CONFIGURED;
    }

    private static String comparable(HasMetadata object) {
        HasMetadata copy = SERIALIZATION.clone(object);
        copy.getMetadata().setManagedFields(null);
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setGeneration(null);
        return SERIALIZATION.asJson(copy);
    }
}
