package io.learnflow.pgk8s.deploy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.kube.Applier;
import io.learnflow.pgk8s.kube.KubeErrors;
import io.learnflow.pgk8s.kube.RolloutWatch;
import io.learnflow.pgk8s.manifest.Credentials;
import io.learnflow.pgk8s.manifest.Manifests;
import io.learnflow.pgk8s.profile.Profile;

/**
 * {@code pgk8s deploy} (spec 8.1, FR1): applies a profile's objects in order with server-side apply, keeps every
 * existing password, refuses a profile switch that would lose data, and waits, by watching, until PostgreSQL is
 * Ready.
 */
public final class DeployService {
    private final KubernetesClient client;
    private final SecureRandom random;

    /**
     * @param dryRun         the API server's dry run: report what would change, change nothing, do not wait
     * @param force          allow a profile switch: the StatefulSet is recreated, its claims are kept
     * @param forceConflicts take fields that another field manager owns
     * @param timeout        how long to wait for Ready (and for a replaced StatefulSet to go)
     */
    public record Options(boolean dryRun, boolean force, boolean forceConflicts, Duration timeout) {
    }

    public DeployService(KubernetesClient client, SecureRandom random) {
        this.client = client;
        this.random = random;
    }

    /**
     * @param changes  gets kubectl's line per object, e.g. {@code secret/postgres-app unchanged}
     * @param progress gets the waiting states
     * @return the final line, e.g. {@code ✓ postgres dev ready in 4.2s: postgres.postgres.svc.cluster.local:5432/learnflow}
     * @throws Pgk8sException exit 2 for a refused profile switch; exit 1 when the cluster refuses or times out
     */
    public String deploy(Profile profile, String initialSchema, Options options, Consumer<String> changes,
            Consumer<String> progress) {
        long started = System.nanoTime();
        StatefulSet existing = get(StatefulSet.class, profile, profile.statefulSetName());
        boolean replace = checkProfileSwitch(profile, existing, options);
        SecretPlan secrets = SecretPlan.plan(profile,
                get(Secret.class, profile, profile.credentialsSecretName()),
                get(Secret.class, profile, profile.superuserSecretName()),
                () -> Credentials.generate(random));
        boolean namespaceExists = !options.dryRun() || existing != null || namespaceExists(profile);
        refuseNewPasswordsForKeptData(profile, secrets);
        Applier applier = new Applier(client, options.dryRun(), options.forceConflicts());
        List<HasMetadata> objects = Manifests.build(profile, Optional.of(secrets.credentials()), initialSchema);
        if (replace && !options.dryRun()) {
            serverChecksFirst(profile, secrets, objects, options.forceConflicts());
            deleteKeepingClaims(profile, existing, options.timeout());
        }
        for (HasMetadata object : objects) {
            if (replace && options.dryRun() && object instanceof StatefulSet) {
                changes.accept(Manifests.displayName(object) + " recreated, claims kept (not dry-run: it exists)");
                continue;
            }
            SecretPlan.Step step = stepFor(profile, secrets, object);
            if (options.dryRun() && !namespaceExists && !(object instanceof Namespace)) {
                changes.accept(Manifests.displayName(object) + " created (not sent: the server cannot dry-run into"
                        + " namespace " + profile.namespace() + " before it exists)");
                continue;
            }
            if (object instanceof Namespace) {
                changes.accept(applyNamespace(applier, object, options.dryRun()));
                continue;
            }
            Applier.Applied applied = switch (step) {
                case KEEP -> new Applier.Applied(Manifests.displayName(object), Applier.Action.UNCHANGED, object);
                case CREATE -> applier.createIfMissing(object);
                case APPLY -> applier.apply(object);
            };
            if (step == SecretPlan.Step.CREATE && applied.action() == Applier.Action.UNCHANGED) {
                // Another deploy made it between our read and our create: its password, not ours, is the one.
                throw Pgk8sException.failed(applied.name() + " was created by another deploy at the same time,"
                        + " run deploy again");
            }
            changes.accept(applied.line(options.dryRun()));
        }
        if (options.dryRun()) {
            return "✓ postgres " + profile.name() + ": server dry run passed, nothing changed";
        }
        new RolloutWatch(client, profile.namespace(), profile.statefulSetName(), profile.podName())
                .await(options.timeout(), progress);
        return String.format(Locale.ROOT, "✓ postgres %s ready in %.1fs: %s:%d/%s", profile.name(),
                (System.nanoTime() - started) / 1e9, profile.serviceHost(), profile.port(), profile.database());
    }

    /**
     * Before a forced switch deletes the running StatefulSet, the API server dry-runs every object: a refusal (a
     * conflict, a quota, validation, an admission webhook) then leaves the deployment as it was. The new StatefulSet,
     * whose claim template the old one cannot take, is dry-run as a create under a throwaway name.
     */
    private void serverChecksFirst(Profile profile, SecretPlan secrets, List<HasMetadata> objects,
            boolean forceConflicts) {
        Applier check = new Applier(client, true, forceConflicts);
        for (HasMetadata object : objects) {
            if (object instanceof StatefulSet statefulSet) {
                StatefulSet precheck = new StatefulSetBuilder(statefulSet).editMetadata()
                        .withName(statefulSet.getMetadata().getName() + "-precheck").endMetadata().build();
                try {
                    client.resource(precheck).dryRun().create();
                } catch (KubernetesClientException e) {
                    throw KubeErrors.translate(e, client.getMasterUrl(), Manifests.displayName(statefulSet));
                }
                continue;
            }
            if (object instanceof Namespace) {
                continue; // it exists, as the StatefulSet does
            }
            switch (stepFor(profile, secrets, object)) {
                case APPLY -> check.apply(object);
                case CREATE -> check.createIfMissing(object);
                case KEEP -> {
                }
            }
        }
    }

    /**
     * A kept claim holds a data directory made with the passwords of the Secrets that are gone: new ones would lock
     * every client out while the pod still looks Ready (bitnami/charts#2061).
     */
    private void refuseNewPasswordsForKeptData(Profile profile, SecretPlan secrets) {
        boolean newPasswords = secrets.credentialsStep() != SecretPlan.Step.KEEP
                || secrets.superuserStep() != SecretPlan.Step.KEEP;
        if (profile.persistentStorage().isEmpty() || !newPasswords
                || get(PersistentVolumeClaim.class, profile, profile.claimName()) == null) {
            return;
        }
        throw Pgk8sException.badInput("PVC " + profile.claimName() + " holds a database made with passwords that"
                + " Secrets " + profile.credentialsSecretName() + " and " + profile.superuserSecretName()
                + " no longer both have; new ones would lock every client out. Nothing was changed: recreate them"
                + " with the old passwords (k8s/postgres/prod/kustomization.yaml shows how), or delete the PVC if"
                + " its data is not needed");
    }

    /**
     * A Job whose ServiceAccount may not touch the namespace (no ClusterRole: an administrator manages it) goes on
     * without it; if the namespace is missing, the next object's apply says so.
     */
    private static String applyNamespace(Applier applier, HasMetadata namespace, boolean dryRun) {
        try {
            return applier.apply(namespace).line(dryRun);
        } catch (Pgk8sException e) {
            if (!KubeErrors.isForbidden(e)) {
                throw e;
            }
            return Manifests.displayName(namespace) + " skipped: forbidden to this identity, so an administrator"
                    + " manages it";
        }
    }

    private static SecretPlan.Step stepFor(Profile profile, SecretPlan secrets, HasMetadata object) {
        if (!(object instanceof Secret)) {
            return SecretPlan.Step.APPLY;
        }
        String name = object.getMetadata().getName();
        if (name.equals(profile.credentialsSecretName())) {
            return secrets.credentialsStep();
        }
        if (name.equals(profile.superuserSecretName())) {
            return secrets.superuserStep();
        }
        return SecretPlan.Step.APPLY;
    }

    /** @return whether the StatefulSet must be recreated for a forced switch */
    private static boolean checkProfileSwitch(Profile profile, StatefulSet existing, Options options) {
        String deployed = existing == null || existing.getMetadata().getLabels() == null ? null
                : existing.getMetadata().getLabels().get(Profile.PROFILE_LABEL);
        if (deployed == null || deployed.equals(profile.name())) {
            return false;
        }
        if (!options.force()) {
            String loss = profile.persistentStorage().isPresent()
                    ? "the data in its emptyDir is lost; " + profile.name() + " runs on PVC " + profile.claimName()
                            + " (" + profile.persistentStorage().get() + "), empty unless an earlier "
                            + profile.name() + " left data there"
                    : profile.name() + " starts empty on an emptyDir, and the data stays, unused, in PVC "
                            + profile.claimName();
            throw Pgk8sException.badInput("postgres is deployed as " + deployed + "; switching to " + profile.name()
                    + " recreates the StatefulSet: " + loss + ". Nothing was changed; re-run with --force to"
                    + " switch (claims are kept)");
        }
        return true;
    }

    // Claims are never deleted: deleting a StatefulSet leaves them, and prod's retention policy says Retain.
    private void deleteKeepingClaims(Profile profile, StatefulSet existing, Duration timeout) {
        var resource = client.apps().statefulSets().inNamespace(profile.namespace()).withName(profile.statefulSetName());
        try {
            resource.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            resource.waitUntilCondition(Objects::isNull, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw Pgk8sException.failed("statefulset.apps/" + existing.getMetadata().getName()
                    + " was not gone after " + timeout.toSeconds() + "s, re-run deploy once it is");
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, client.getMasterUrl(), "statefulset.apps/" + profile.statefulSetName());
        }
    }

    private boolean namespaceExists(Profile profile) {
        try {
            return client.namespaces().withName(profile.namespace()).get() != null;
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, client.getMasterUrl(), "namespace/" + profile.namespace());
        }
    }

    private <T extends HasMetadata> T get(Class<T> type, Profile profile, String name) {
        try {
            return client.resources(type).inNamespace(profile.namespace()).withName(name).get();
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, client.getMasterUrl(),
                    type.getSimpleName().toLowerCase(Locale.ROOT) + "/" + name);
        }
    }

}
