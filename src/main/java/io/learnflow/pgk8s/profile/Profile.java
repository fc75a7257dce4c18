package io.learnflow.pgk8s.profile;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * Everything that names or sizes the LearnFlow PostgreSQL deployment, in one place (spec 4.2, FR1). Connection
 * defaults and every Kubernetes manifest are derived from it; {@link #DEV} and {@link #PROD} differ only in the
 * fields that the spec sizes differently.
 *
 * @param defaultPassword the app role's password, fixed in dev (spec 4.2); {@code null} in prod, where
 *                        {@code deploy} generates it once
 * @param storage         the data volume's size, e.g. {@code 10Gi}; {@code null} for an {@code emptyDir}
 * @param sharedMemory    the size of PostgreSQL's /dev/shm (parallel queries' dynamic shared memory), counted
 *                        in the memory limit
 * @param toolkitImage    the pgk8s image that the toolkit's Jobs and init containers run
 */
public record Profile(
        String name,
        String namespace,
        String serviceName,
        int port,
        String database,
        String user,
        String defaultPassword,
        String image,
        String memory,
        String cpu,
        String storage,
        String sharedMemory,
        String toolkitImage) {

    /** The official image's superuser, a role of its own (CloudNativePG's {@code postgres} user). */
    public static final String SUPERUSER = "postgres";
    /** The alpine image's {@code postgres} user and group. */
    public static final long POSTGRES_UID = 70;
    /** Pods with this label set to {@code "true"}, in any namespace, may connect (spec 5.3). */
    public static final String CLIENT_LABEL = "learnflow.io/postgres-client";
    /** Which profile an existing StatefulSet or Secret was deployed with. */
    public static final String PROFILE_LABEL = "learnflow.io/profile";
    public static final String DEFAULT_IMAGE = "postgres:16-alpine";
    /** Where README's "Images" section says to push the JVM image; override with --toolkit-image. */
    public static final String DEFAULT_TOOLKIT_IMAGE = "ghcr.io/learnflow/pgk8s:0.1.0";
    /** The namespace of the example services (Progress, Triage) that wait for the database. */
    public static final String SERVICES_NAMESPACE = "learnflow";
    /** The example services that wait for the database with an init container; their images are examples. */
    public static final java.util.List<String> SERVICES = java.util.List.of("progress", "triage");
    public static final String SERVICES_IMAGE_PREFIX = "ghcr.io/learnflow/";
    public static final String SERVICES_IMAGE_TAG = ":0.1.0";
    /** Requests and limits of a toolkit or example container: the JVM CLI needs about 150Mi. */
    public static final String TOOLKIT_CPU_REQUEST = "100m";
    public static final String TOOLKIT_CPU_LIMIT = "1";
    public static final String TOOLKIT_MEMORY = "256Mi";
    /** The pgk8s image's user (Dockerfile). */
    public static final long TOOLKIT_UID = 1001;

    public static final Profile DEV = new Profile("dev", "postgres", "postgres", 5432, "learnflow", "learnflow_user",
            "dev_password_change_in_prod", DEFAULT_IMAGE, "512Mi", "500m", null, "128Mi", DEFAULT_TOOLKIT_IMAGE);
    public static final Profile PROD = new Profile("prod", "postgres", "postgres", 5432, "learnflow",
            "learnflow_user", null, DEFAULT_IMAGE, "2Gi", "1", "10Gi", "512Mi", DEFAULT_TOOLKIT_IMAGE);

    /** @throws Pgk8sException exit 2 for a name that is neither {@code dev} nor {@code prod} */
    public static Profile named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(new Profile[] { DEV, PROD }).filter(p -> p.name.equals(wanted)).findFirst()
                .orElseThrow(() -> Pgk8sException.badInput("unknown profile '" + name + "', use "
                        + Arrays.stream(new Profile[] { DEV, PROD }).map(Profile::name)
                                .collect(Collectors.joining(" or "))));
    }

    /** The same profile with another PostgreSQL image, e.g. one built without a registry. */
    public Profile withImage(String otherImage) {
        return new Profile(name, namespace, serviceName, port, database, user, defaultPassword, otherImage, memory,
                cpu, storage, sharedMemory, toolkitImage);
    }

    /** The same profile with another pgk8s image for the Jobs and init containers. */
    public Profile withToolkitImage(String otherImage) {
        return new Profile(name, namespace, serviceName, port, database, user, defaultPassword, image, memory, cpu,
                storage, sharedMemory, otherImage);
    }

    /** The ServiceAccount, Role and RoleBinding of the toolkit's Jobs. */
    public String toolkitName() {
        return "pgk8s";
    }

    /** The ClusterRole (and binding) that lets the bootstrap Job label the namespace. */
    public String namespaceRoleName() {
        return toolkitName() + "-namespace";
    }

    /**
     * A Job's pod template is immutable, so each image tag gets a Job of its own (quarkus#33829): re-applying after
     * an upgrade creates a new Job instead of failing. {@code pgk8s-bootstrap-dev-0-1-0-<5 hex of the PostgreSQL
     * image>}, a DNS-1123 label.
     */
    public String bootstrapJobName() {
        // Its pod template names the PostgreSQL image too: a short hash of it keeps a new --image a new Job.
        String postgresImage = Integer.toHexString(image.hashCode() & 0xfffff);
        return toolkitName() + "-bootstrap-" + name + "-" + imageTagLabel(toolkitImage) + "-" + postgresImage;
    }

    public String migrateJobName() {
        return toolkitName() + "-migrate-" + imageTagLabel(toolkitImage);
    }

    public String migrateCronJobName() {
        return toolkitName() + "-migrate-sync";
    }

    // The tag (or the digest's first 12 characters), lower case, other characters as '-', at most 40.
    public static String imageTagLabel(String image) {
        int at = image.indexOf('@');
        String tag = at >= 0 ? image.substring(image.indexOf(':', at) + 1, Math.min(image.length(),
                image.indexOf(':', at) + 13))
                : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(image.lastIndexOf(':') + 1)
                : "latest";
        String label = tag.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        label = label.length() > 40 ? label.substring(0, 40).replaceAll("-+$", "") : label;
        return label.isEmpty() ? "latest" : label;
    }

    /** The in-cluster DNS name that dependent services connect to. */
    public String serviceHost() {
        return serviceName + "." + namespace + ".svc.cluster.local";
    }

    /** The size of the data volume claim; empty for an {@code emptyDir}. */
    public Optional<String> persistentStorage() {
        return Optional.ofNullable(storage);
    }

    public String statefulSetName() {
        return serviceName;
    }

    /** The StatefulSet's one pod. */
    public String podName() {
        return statefulSetName() + "-0";
    }

    /** The headless Service that the StatefulSet's {@code serviceName} points at. */
    public String headlessServiceName() {
        return serviceName + "-headless";
    }

    /** The data volume, and the claim template whose PVC is {@code data-postgres-0}. */
    public String dataVolumeName() {
        return "data";
    }

    public String claimName() {
        return dataVolumeName() + "-" + podName();
    }

    /** POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB of the app role (spec 13). */
    public String credentialsSecretName() {
        return serviceName + "-credentials";
    }

    /** The image superuser's password. */
    public String superuserSecretName() {
        return serviceName + "-superuser";
    }

    /** What services mount or {@code envFrom}: host, port, URIs, and libpq's PG* names. */
    public String appSecretName() {
        return serviceName + "-app";
    }

    /** The first-boot scripts and the initial schema (spec 4.2). */
    public String initConfigMapName() {
        return serviceName + "-init-schema";
    }

    public String networkPolicyName() {
        return serviceName + "-clients";
    }
}
