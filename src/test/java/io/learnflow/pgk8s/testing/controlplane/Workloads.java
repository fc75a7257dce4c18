package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.learnflow.pgk8s.db.ConnectionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small workloads for the real-node tests, written with fabric8's builders: PostgreSQL 16 as a StatefulSet behind
 * a Service, {@code pgk8s migrate} as a Job, a Deployment whose init container runs {@code pgk8s wait}. Every pod
 * meets Pod Security {@code restricted}. Test fixtures only: the product's own manifest builders come later.
 */
public final class Workloads {

    /** The StatefulSet, its Service and the host part of the in-cluster DNS name. */
    public static final String POSTGRES = "postgres";
    /** The StatefulSet's one pod. */
    public static final String POSTGRES_POD = POSTGRES + "-0";
    /** The volumeClaimTemplate's name, and so the StatefulSet's claim {@code data-postgres-0}. */
    public static final String DATA = "data";
    public static final String POSTGRES_CLAIM = DATA + "-" + POSTGRES_POD;
    public static final int PORT = 5432;
    public static final String DATABASE = "learnflow";
    /**
     * The role that owns the database and that services log in as: no superuser. The image's own superuser
     * (POSTGRES_USER) is {@code postgres}, and the init script creates this role, as the deploy issue will.
     */
    public static final String USER = "learnflow_user";
    private static final String SUPERUSER = "postgres";
    private static final String SUPERUSER_PASSWORD = "su: 'other' $y";
    /** Quotes, a dollar and a space: passed through a Secret and env untouched, and checked by the server. */
    public static final String PASSWORD = "pw: 'q' \"d\" $x";
    /** What the init script from the ConfigMap creates; in a schema of its own, so that migrate sees an empty public. */
    public static final String INIT_TABLE = "initcheck.runs";
    public static final String MIGRATE_JOB = "migrate";
    public static final String WAITER = "waiter";

    private static final String SECRET = "postgres-credentials";
    private static final String INIT_SCRIPTS = "postgres-init";
    private static final String APP_LABEL = "app";
    private static final String DATA_DIR = "/var/lib/postgresql/data";
    /** Sourced by the entrypoint on first boot; its server listens on the Unix socket only. */
    private static final String INIT_SH = """
            psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -v pw="$APP_PASSWORD" <<'SQL' || exit 1
            CREATE ROLE %1$s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
            CREATE DATABASE %2$s OWNER %1$s;
            SQL
            psql -v ON_ERROR_STOP=1 -U %1$s -d %2$s <<'SQL' || exit 1
            CREATE SCHEMA initcheck;
            CREATE TABLE initcheck.runs (n serial PRIMARY KEY, note text NOT NULL);
            INSERT INTO initcheck.runs (note) VALUES ('from the ConfigMap');
            SQL
            """.formatted(USER, DATABASE);

    private Workloads() {
    }

    /** The app role's credentials, and the image superuser's password. */
    public static Secret secret() {
        return new SecretBuilder()
                .withNewMetadata()
                    .withName(SECRET)
                .endMetadata()
                .addToStringData("database", DATABASE)
                .addToStringData("username", USER)
                .addToStringData("password", PASSWORD)
                .addToStringData("superuser-password", SUPERUSER_PASSWORD)
                .build();
    }

    /** One init script for /docker-entrypoint-initdb.d. */
    public static ConfigMap initScripts() {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(INIT_SCRIPTS)
                .endMetadata()
                .addToData("01-init.sh", INIT_SH)
                .build();
    }

    /** A ClusterIP Service in front of the StatefulSet's pod. */
    public static Service service() {
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(POSTGRES)
                .endMetadata()
                .withNewSpec()
                    .withSelector(Map.of(APP_LABEL, POSTGRES))
                    .addNewPort()
                        .withName(POSTGRES)
                        .withPort(PORT)
                    .endPort()
                .endSpec()
                .build();
    }

    /** PostgreSQL 16 on an emptyDir. */
    public static StatefulSet postgres() {
        return postgres(new VolumeBuilder().withName(DATA).withNewEmptyDir().endEmptyDir().build(), null);
    }

    /** PostgreSQL 16 on a claim of {@code size} per pod, {@link #POSTGRES_CLAIM} for the one pod. */
    public static StatefulSet postgresOnClaim(String size) {
        return postgres(null, new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                    .withName(DATA)
                .endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName(PersistentVolumes.STORAGE_CLASS)
                    .withNewResources()
                        .addToRequests("storage", new Quantity(size))
                    .endResources()
                .endSpec()
                .build());
    }

    // Credentials from the Secret, the init script from the ConfigMap, PGDATA a subdirectory of the data volume
    // (its root is not uid 70's own under fsGroup), emptyDirs where the server writes besides PGDATA.
    private static StatefulSet postgres(Volume emptyData, PersistentVolumeClaim claim) {
        List<Volume> volumes = new ArrayList<>(List.of(
                emptyDir("run"),
                emptyDir("tmp"),
                new VolumeBuilder()
                        .withName("init")
                        .withNewConfigMap()
                            .withName(INIT_SCRIPTS)
                        .endConfigMap()
                        .build()));
        if (emptyData != null) {
            volumes.add(emptyData);
        }
        return new StatefulSetBuilder()
                .withNewMetadata()
                    .withName(POSTGRES)
                .endMetadata()
                .withNewSpec()
                    .withServiceName(POSTGRES)
                    .withReplicas(1)
                    .withNewSelector()
                        .addToMatchLabels(APP_LABEL, POSTGRES)
                    .endSelector()
                    .withNewTemplate()
                        .withNewMetadata()
                            .addToLabels(APP_LABEL, POSTGRES)
                        .endMetadata()
                        .withNewSpec()
                            .withTerminationGracePeriodSeconds(10L)
                            .withSecurityContext(podSecurity(RealNodeImages.UID))
                            .addNewContainer()
                                .withName(POSTGRES)
                                .withImage(RealNodeImages.POSTGRES)
                                .withImagePullPolicy("Never")
                                .withEnv(
                                        env("POSTGRES_USER", SUPERUSER),
                                        secretEnv("POSTGRES_PASSWORD", "superuser-password"),
                                        secretEnv("APP_PASSWORD", "password"),
                                        env("PGDATA", DATA_DIR + "/pgdata"))
                                .addNewPort()
                                    .withName(POSTGRES)
                                    .withContainerPort(PORT)
                                .endPort()
                                .withNewReadinessProbe()
                                    .withNewExec()
                                        // Over TCP, as clients come: the Unix socket answers before TCP listens.
                                        .withCommand("pg_isready", "-h", "127.0.0.1", "-U", USER, "-d", DATABASE)
                                    .endExec()
                                    .withPeriodSeconds(1)
                                    .withTimeoutSeconds(5)
                                .endReadinessProbe()
                                .withSecurityContext(restricted())
                                .withVolumeMounts(
                                        mount(DATA, DATA_DIR),
                                        mount("run", "/var/run/postgresql"),
                                        mount("tmp", "/tmp"),
                                        mount("init", "/docker-entrypoint-initdb.d"))
                            .endContainer()
                            .withVolumes(volumes)
                        .endSpec()
                    .endTemplate()
                    .withVolumeClaimTemplates(claim == null ? List.of() : List.of(claim))
                .endSpec()
                .build();
    }

    /** {@code pgk8s migrate} once, against the database by its in-cluster DNS name. */
    public static Job migrateJob(String namespace) {
        return new JobBuilder()
                .withNewMetadata()
                    .withName(MIGRATE_JOB)
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withNewTemplate()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withSecurityContext(podSecurity(null))
                            .addToContainers(pgk8s(MIGRATE_JOB, namespace, "migrate"))
                            .addToVolumes(emptyDir("tmp"))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * A service that needs the database: its init container runs {@code pgk8s wait --timeout 300}, and its main
     * container, on the base image, prints {@code started} and sleeps.
     */
    public static Deployment waitingDeployment(String namespace) {
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(WAITER)
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                        .addToMatchLabels(APP_LABEL, WAITER)
                    .endSelector()
                    .withNewTemplate()
                        .withNewMetadata()
                            .addToLabels(APP_LABEL, WAITER)
                        .endMetadata()
                        .withNewSpec()
                            .withTerminationGracePeriodSeconds(0L)
                            .withSecurityContext(podSecurity(null))
                            .addToInitContainers(pgk8s("wait", namespace, "wait", "--timeout", "300"))
                            .addNewContainer()
                                .withName("main")
                                .withImage(RealNodeImages.BASE)
                                .withImagePullPolicy("Never")
                                .withCommand("sh", "-c", "echo started; sleep 3600")
                                // The base image's user is root.
                                .withSecurityContext(new SecurityContextBuilder(restricted())
                                        .withRunAsUser(RealNodeImages.UID)
                                        .withRunAsGroup(RealNodeImages.UID)
                                        .build())
                            .endContainer()
                            .addToVolumes(emptyDir("tmp"))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The database as the host reaches it: through the Service's ClusterIP, as {@link #USER}. */
    public static ConnectionSettings fromHost(String clusterIp) {
        return new ConnectionSettings(clusterIp, PORT, DATABASE, USER, PASSWORD);
    }

    /** The in-cluster DNS name of the Service. */
    public static String serviceHost(String namespace) {
        return POSTGRES + "." + namespace + ".svc.cluster.local";
    }

    // The pgk8s image as its own user (1001), connection from PG* env, the credentials from the Secret.
    private static Container pgk8s(String name, String namespace, String... args) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(RealNodeImages.PGK8S)
                .withImagePullPolicy("Never")
                .withArgs(args)
                .withEnv(
                        env("PGHOST", serviceHost(namespace)),
                        env("PGPORT", String.valueOf(PORT)),
                        secretEnv("PGDATABASE", "database"),
                        secretEnv("PGUSER", "username"),
                        secretEnv("PGPASSWORD", "password"))
                .withSecurityContext(restricted())
                .withVolumeMounts(mount("tmp", "/tmp"))
                .build();
    }

    /** Pod Security restricted, pod level: non-root, RuntimeDefault seccomp; uid, gid and fsGroup when given. */
    private static PodSecurityContext podSecurity(Long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    /** Pod Security restricted, container level, and a read-only root. */
    private static SecurityContext restricted() {
        return new SecurityContextBuilder()
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                    .withDrop("ALL")
                .endCapabilities()
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secretEnv(String name, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                    .withNewSecretKeyRef()
                        .withName(SECRET)
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
