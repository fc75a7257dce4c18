package io.learnflow.pgk8s.testing.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.LearnFlowSchema;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL and pgk8s as real pods on the real node, each test in a namespace of its own that enforces Pod
 * Security {@code restricted}. The host reaches the database through its Service's ClusterIP.
 */
@ExtendWith(RealNodeExtension.class)
@DisplayName("workloads on the real node")
class RealNodeWorkloadsE2E {

    /** A PostgreSQL pod is Ready in 2 to 5 s here, a pgk8s container done in a few. */
    private static final Duration READY = Duration.ofSeconds(90);
    /** kube-proxy's rules follow the endpoint within a second or two. */
    private static final Duration REACHABLE = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    private final ControlPlane node;
    private final KubernetesClient client;
    private String namespace;

    RealNodeWorkloadsE2E(ControlPlane node, KubernetesClient client) {
        this.node = node;
        this.client = client;
    }

    @BeforeEach
    void createNamespace() {
        namespace = "work-" + UUID.randomUUID().toString().substring(0, 8);
        Namespaces.create(client, namespace, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        client.secrets().inNamespace(namespace).resource(Workloads.secret()).create();
        client.configMaps().inNamespace(namespace).resource(Workloads.initScripts()).create();
    }

    @AfterEach
    void deleteNamespace() {
        client.namespaces().withName(namespace).delete();
    }

    @Test
    @DisplayName("runs PostgreSQL 16 as a restricted StatefulSet that pgk8s verifies through its ClusterIP")
    void postgresStatefulSet() throws Exception {
        ConnectionSettings db = startPostgres();

        Pgk8sProcess unmigrated = Pgk8sProcess.run(COMMAND, "verify", db);
        assertThat(unmigrated.exitCode(Duration.ZERO)).as(unmigrated.stderr()).isEqualTo(1);
        assertThat(unmigrated.stdout()).contains("✗ PostgreSQL not ready: tables: missing users");

        Pgk8sProcess migrate = Pgk8sProcess.run(COMMAND, "migrate", db);
        assertThat(migrate.exitCode(Duration.ZERO)).as(migrate.stderr()).isZero();
        Pgk8sProcess verify = Pgk8sProcess.run(COMMAND, "verify", db);
        assertThat(verify.exitCode(Duration.ZERO)).as(verify.stderr()).isZero();
        assertThat(verify.stdout()).isEqualTo("✓ PostgreSQL healthy: " + db.hostPort() + "/" + Workloads.DATABASE
                + " at version 1\n");

        assertThat(Sql.column(db, "SELECT version()")).singleElement().asString().startsWith("PostgreSQL 16.");
        assertThat(Sql.column(db, "SELECT current_user || ' ' || rolsuper FROM pg_roles WHERE rolname = current_user"))
                .as("the app role is no superuser").containsExactly(Workloads.USER + " false");
        assertThat(Sql.column(db, "SELECT note FROM " + Workloads.INIT_TABLE))
                .as("the init script from the ConfigMap ran once").containsExactly("from the ConfigMap");
        assertPasswordChecked(db);
    }

    @Test
    @DisplayName("runs pgk8s migrate as a restricted Job against the database's cluster DNS name")
    void migrateJob() {
        ConnectionSettings db = startPostgres();

        client.batch().v1().jobs().inNamespace(namespace).resource(Workloads.migrateJob(namespace)).create();

        JobStatus status = await().atMost(READY)
                .until(() -> client.batch().v1().jobs().inNamespace(namespace).withName(Workloads.MIGRATE_JOB).get()
                        .getStatus(), s -> s.getSucceeded() != null || s.getFailed() != null);
        assertThat(status.getSucceeded()).as("the Job's pod succeeded; its log: %s", jobLog()).isEqualTo(1);
        assertThat(jobLog()).matches("applied 1 migration, now at version 1\\R");
        assertThat(Sql.tables(db)).containsAll(LearnFlowSchema.TABLES);
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
    }

    @Test
    @DisplayName("holds a Deployment in its pgk8s wait init container until the database is up and migrated")
    void initContainerWaits() throws Exception {
        client.apps().deployments().inNamespace(namespace).resource(Workloads.waitingDeployment(namespace)).create();
        String host = Workloads.serviceHost(namespace);
        await().atMost(READY).ignoreExceptions().untilAsserted(() -> assertThat(waitLog())
                .contains("waiting for PostgreSQL at " + host + ":" + Workloads.PORT + ": "));
        assertInit("no database yet");

        ConnectionSettings db = startPostgres();
        await().atMost(READY).untilAsserted(() -> assertThat(waitLog()).contains("waiting for schema version 1 (now 0"));
        assertInit("the database is up, not migrated");

        Pgk8sProcess migrate = Pgk8sProcess.run(COMMAND, "migrate", db);
        assertThat(migrate.exitCode(Duration.ZERO)).as(migrate.stderr()).isZero();

        await().atMost(READY).ignoreExceptions()
                .untilAsserted(() -> assertThat(waiter().inContainer("main").getLog()).isEqualTo("started\n"));
        ContainerStatus wait = waiter().get().getStatus().getInitContainerStatuses().get(0);
        assertThat(wait.getState().getTerminated().getExitCode()).isZero();
        assertThat(waitLog()).endsWith("ready: " + Workloads.DATABASE + " at version 1\n");
    }

    @Test
    @DisplayName("keeps PostgreSQL's data on a prepared hostPath volume across a pod delete")
    void dataSurvivesPodDelete() throws Exception {
        PersistentVolume volume = PersistentVolumes.createOnRealNode(node, "1Gi", namespace, Workloads.POSTGRES_CLAIM);
        client.services().inNamespace(namespace).resource(Workloads.service()).create();
        client.apps().statefulSets().inNamespace(namespace).resource(Workloads.postgresOnClaim("1Gi")).create();
        Pod first = awaitReady(null);
        ConnectionSettings db = awaitReachable();

        assertThat(client.persistentVolumeClaims().inNamespace(namespace).withName(Workloads.POSTGRES_CLAIM).get()
                .getSpec().getVolumeName()).isEqualTo(volume.getMetadata().getName());
        Path pgdata = Path.of(volume.getSpec().getHostPath().getPath()).resolve("pgdata");
        assertThat(Files.getAttribute(pgdata.resolve("PG_VERSION"), "unix:uid")).as("written by uid 70")
                .isEqualTo((int) RealNodeImages.UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pgdata))).isEqualTo("rwx------");
        TestPostgres.execute(db, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives')");

        postgresPod().delete();
        awaitReady(first.getMetadata().getUid());
        awaitReachable();

        assertThat(Sql.column(db, "SELECT note FROM kept")).as("the row, as the app role with its password")
                .containsExactly("survives");
        assertThat(postgresPod().getLog()).contains("skipping initialization");
        assertPasswordChecked(db);
    }

    // ---- the database --------------------------------------------------------------------------------------

    /** Service and StatefulSet on an emptyDir; returns once the host reaches the database through the ClusterIP. */
    private ConnectionSettings startPostgres() {
        client.services().inNamespace(namespace).resource(Workloads.service()).create();
        client.apps().statefulSets().inNamespace(namespace).resource(Workloads.postgres()).create();
        awaitReady(null);
        return awaitReachable();
    }

    /** Waits for postgres-0 to be Ready, a pod other than {@code replacedUid} when given. */
    private Pod awaitReady(String replacedUid) {
        await().atMost(READY).untilAsserted(() -> {
            Pod pod = postgresPod().get();
            assertThat(pod).as("pod %s", Workloads.POSTGRES_POD).isNotNull();
            assertThat(pod.getMetadata().getUid()).as("a new pod").isNotEqualTo(replacedUid);
            assertThat(Readiness.isPodReady(pod)).as("%s Ready; status %s", Workloads.POSTGRES_POD,
                    pod.getStatus().getContainerStatuses()).isTrue();
        });
        return postgresPod().get();
    }

    /**
     * The app role through the ClusterIP. Until kube-proxy has the endpoint it answers with ICMP, which the kernel
     * rate-limits to about one a second: poll no faster.
     */
    private ConnectionSettings awaitReachable() {
        String clusterIp = client.services().inNamespace(namespace).withName(Workloads.POSTGRES).get().getSpec()
                .getClusterIP();
        ConnectionSettings db = Workloads.fromHost(clusterIp);
        await().atMost(REACHABLE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(Sql.column(db, "SELECT 1")).containsExactly("1"));
        return db;
    }

    private PodResource postgresPod() {
        return client.pods().inNamespace(namespace).withName(Workloads.POSTGRES_POD);
    }

    private static void assertPasswordChecked(ConnectionSettings db) {
        ConnectionSettings wrong = new ConnectionSettings(db.host(), db.port(), db.database(), db.user(), "wrong");
        assertThatThrownBy(() -> Database.connect(wrong).close()).as("a wrong password is refused")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    // ---- the Job and the Deployment -------------------------------------------------------------------------

    private String jobLog() {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel("job-name", Workloads.MIGRATE_JOB).list()
                .getItems();
        return pods.isEmpty() ? "(no pod yet)"
                : client.pods().inNamespace(namespace).withName(pods.get(0).getMetadata().getName()).getLog();
    }

    private PodResource waiter() {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel("app", Workloads.WAITER).list().getItems();
        assertThat(pods).as("the Deployment's pod").hasSize(1);
        return client.pods().inNamespace(namespace).withName(pods.get(0).getMetadata().getName());
    }

    /** The init container's log; refused until it has started. */
    private String waitLog() {
        return waiter().inContainer("wait").getLog();
    }

    /** The pod is in Init: its init container runs, its main container has not started. */
    private void assertInit(String when) {
        Pod pod = waiter().get();
        assertThat(pod.getStatus().getInitContainerStatuses().get(0).getState().getRunning())
                .as("%s: the init container runs", when).isNotNull();
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting())
                .as("%s: the main container waits", when).isNotNull()
                .satisfies(waiting -> assertThat(waiting.getReason()).isEqualTo("PodInitializing"));
    }
}
