package io.learnflow.pgk8s.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder;
import io.learnflow.pgk8s.profile.Profile;

/**
 * PostgreSQL 16 as a one-replica StatefulSet (spec 4.2, FR1): the profile's image, requests equal to limits,
 * an {@code emptyDir} in dev and a retained claim in prod, and a pod that Pod Security {@code restricted} admits.
 */
public final class StatefulSetManifest {
    public static final String CONTAINER = "postgres";
    /** The data volume's mount; PGDATA is a subdirectory, as a fresh volume's root may hold lost+found. */
    public static final String DATA_MOUNT = "/var/lib/postgresql/data";
    public static final String PGDATA = DATA_MOUNT + "/pgdata";
    /** Enough for a fast shutdown (preStop) with a checkpoint of a busy server. */
    static final long TERMINATION_GRACE_SECONDS = 60;

    private StatefulSetManifest() {
    }

    public static StatefulSet build(Profile profile) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                    .withName(profile.statefulSetName())
                    .withNamespace(profile.namespace())
                    .withLabels(Labels.withProfile(profile))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withServiceName(profile.headlessServiceName())
                    .withNewSelector()
                        .withMatchLabels(Labels.selector(profile))
                    .endSelector()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.common(profile))
                        .endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(Profile.POSTGRES_UID)
                                .withRunAsGroup(Profile.POSTGRES_UID)
                                .withFsGroup(Profile.POSTGRES_UID)
                                .withFsGroupChangePolicy("OnRootMismatch")
                                .withNewSeccompProfile()
                                    .withType("RuntimeDefault")
                                .endSeccompProfile()
                            .endSecurityContext()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(profile.image())
                                .withImagePullPolicy("IfNotPresent")
                                .withEnv(env(profile))
                                .addNewPort()
                                    .withName(ServiceManifests.PORT_NAME)
                                    .withContainerPort(profile.port())
                                    .withProtocol("TCP")
                                .endPort()
                                .withNewResources()
                                    .withRequests(resources(profile))
                                    .withLimits(resources(profile))
                                .endResources()
                                .withStartupProbe(startupProbe(profile))
                                .withReadinessProbe(readinessProbe(profile))
                                .withLivenessProbe(livenessProbe(profile))
                                .withNewLifecycle()
                                    .withNewPreStop()
                                        // Kubernetes sends SIGTERM, a "smart" shutdown that waits for every
                                        // client to leave; a fast one ends their sessions and checkpoints.
                                        .withNewExec()
                                            .withCommand("pg_ctl", "stop", "--mode=fast", "--wait",
                                                    "--timeout=" + (TERMINATION_GRACE_SECONDS - 10))
                                        .endExec()
                                    .endPreStop()
                                .endLifecycle()
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withReadOnlyRootFilesystem(true)
                                    .withNewCapabilities()
                                        .withDrop("ALL")
                                    .endCapabilities()
                                .endSecurityContext()
                                .withVolumeMounts(
                                        mount(profile.dataVolumeName(), DATA_MOUNT),
                                        mount("run", "/var/run/postgresql"),
                                        mount("tmp", "/tmp"),
                                        mount("shm", "/dev/shm"),
                                        mount("init", InitScriptsConfigMap.MOUNT_PATH))
                            .endContainer()
                            .withVolumes(volumes(profile))
                        .endSpec()
                    .endTemplate()
                    .withVolumeClaimTemplates(claims(profile))
                    .withPersistentVolumeClaimRetentionPolicy(profile.persistentStorage().isPresent()
                            // No delete of the StatefulSet or scale-down ever deletes the data.
                            ? new StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
                                    .withWhenDeleted("Retain")
                                    .withWhenScaled("Retain")
                                    .build()
                            : null)
                .endSpec()
                .build();
    }

    // The superuser from its own Secret; the database, the app role and its password from postgres-credentials.
    private static List<EnvVar> env(Profile profile) {
        return List.of(
                new EnvVarBuilder().withName("POSTGRES_USER").withValue(Profile.SUPERUSER).build(),
                secretEnv("POSTGRES_PASSWORD", profile.superuserSecretName(), SecretManifests.BASIC_AUTH_PASSWORD),
                secretEnv("POSTGRES_DB", profile.credentialsSecretName(), SecretManifests.DATABASE_KEY),
                secretEnv(InitScriptsConfigMap.APP_USER_ENV, profile.credentialsSecretName(),
                        SecretManifests.USER_KEY),
                secretEnv(InitScriptsConfigMap.APP_PASSWORD_ENV, profile.credentialsSecretName(),
                        SecretManifests.PASSWORD_KEY),
                new EnvVarBuilder().withName("PGDATA").withValue(PGDATA).build(),
                // The image trusts TCP from 127.0.0.1, which kubectl port-forward comes from: passwords there too.
                new EnvVarBuilder().withName("POSTGRES_INITDB_ARGS")
                        .withValue("--auth-local=trust --auth-host=scram-sha-256").build());
    }

    private static Map<String, Quantity> resources(Profile profile) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(profile.cpu()));
        resources.put("memory", new Quantity(profile.memory()));
        return resources;
    }

    /** Over TCP, as clients connect: the first-boot server answers on the Unix socket only (docker-library/postgres#146). */
    private static String[] pgIsReady(Profile profile) {
        return new String[] { "pg_isready", "--quiet", "--host=127.0.0.1", "--port=" + profile.port(),
                "--username=" + profile.user(), "--dbname=" + profile.database() };
    }

    /** First boot (initdb, the init scripts) and a long crash recovery may take up to 30 minutes. */
    private static Probe startupProbe(Profile profile) {
        return exec(pgIsReady(profile), 2, 900);
    }

    private static Probe readinessProbe(Profile profile) {
        return exec(pgIsReady(profile), 5, 3);
    }

    /**
     * Alive while the server answers at all: pg_isready exits 1 while it rejects connections (starting, in
     * recovery, shutting down), and killing it then would only restart the recovery.
     */
    private static Probe livenessProbe(Profile profile) {
        String command = String.join(" ", pgIsReady(profile)) + "; test $? -le 1";
        return exec(new String[] { "sh", "-c", command }, 10, 6);
    }

    private static Probe exec(String[] command, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewExec()
                    .withCommand(command)
                .endExec()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static List<Volume> volumes(Profile profile) {
        List<Volume> volumes = new ArrayList<>();
        if (profile.persistentStorage().isEmpty()) {
            volumes.add(emptyDir(profile.dataVolumeName()));
        }
        volumes.add(emptyDir("run"));
        volumes.add(emptyDir("tmp"));
        // The runtime's /dev/shm is 64 MB; parallel queries need more ("could not resize shared memory segment").
        volumes.add(new VolumeBuilder()
                .withName("shm")
                .withNewEmptyDir()
                    .withMedium("Memory")
                    .withSizeLimit(new Quantity(profile.sharedMemory()))
                .endEmptyDir()
                .build());
        volumes.add(new VolumeBuilder()
                .withName("init")
                .withNewConfigMap()
                    .withName(profile.initConfigMapName())
                    .withItems(
                            new KeyToPathBuilder()
                                    .withKey(InitScriptsConfigMap.SCRIPT_KEY)
                                    .withPath(InitScriptsConfigMap.SCRIPT_KEY)
                                    .build(),
                            new KeyToPathBuilder()
                                    .withKey(InitScriptsConfigMap.SCHEMA_KEY)
                                    .withPath(InitScriptsConfigMap.SCHEMA_DIRECTORY + "/"
                                            + InitScriptsConfigMap.SCHEMA_KEY)
                                    .build())
                .endConfigMap()
                .build());
        return volumes;
    }

    private static List<PersistentVolumeClaim> claims(Profile profile) {
        return profile.persistentStorage().map(size -> List.of(new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                    .withName(profile.dataVolumeName())
                    .withLabels(Labels.common(profile))
                .endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withNewResources()
                        .addToRequests("storage", new Quantity(size))
                    .endResources()
                .endSpec()
                .build())).orElse(List.of());
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                    .withNewSecretKeyRef()
                        .withName(secret)
                        .withKey(key)
                    .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    private static Volume emptyDir(String name) {
        return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }
}
