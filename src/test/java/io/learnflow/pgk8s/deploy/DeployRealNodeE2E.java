package io.learnflow.pgk8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.LearnFlowSchema;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane;
import io.learnflow.pgk8s.testing.controlplane.Namespaces;
import io.learnflow.pgk8s.testing.controlplane.PersistentVolumes;
import io.learnflow.pgk8s.testing.controlplane.RealNodeExtension;
import io.learnflow.pgk8s.testing.controlplane.RealNodeImages;

/**
 * {@code pgk8s deploy} on the real node: PostgreSQL 16 runs as uid 70 under {@code restricted}, becomes Ready through
 * its own pg_isready probe, and the host reaches it through the Service's ClusterIP as {@code learnflow_user}.
 * The image is the test tier's PostgreSQL 16, named with {@code --image}.
 */
@ExtendWith(RealNodeExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("pgk8s deploy on the real node")
class DeployRealNodeE2E {
    private static final Duration RUN = Duration.ofMinutes(4);
    /** kube-proxy's rules follow the endpoint within a second or two; ICMP answers are rate-limited to one a second. */
    private static final Duration REACHABLE = Duration.ofSeconds(30);
    private static final Profile DEV = Profile.DEV;
    private static final Profile PROD = Profile.PROD;

    private final ControlPlane node;
    private final KubernetesClient client;

    DeployRealNodeE2E(ControlPlane node, KubernetesClient client) {
        this.node = node;
        this.client = client;
    }

    @BeforeAll
    @AfterAll
    void noPostgresNamespace() {
        Namespaces.deleteAndWait(client, DEV.namespace());
    }

    private Pgk8sProcess pgk8s(String... args) {
        Pgk8sProcess process = Pgk8sProcess.start(Map.of("KUBECONFIG", node.kubeconfig().toString()), args);
        process.exitCode(RUN);
        return process;
    }

    private Pgk8sProcess deploy(String profile, String... more) {
        String[] args = new String[more.length + 5];
        args[0] = "deploy";
        args[1] = profile;
        args[2] = "--image";
        args[3] = RealNodeImages.POSTGRES;
        args[4] = "--timeout=180";
        System.arraycopy(more, 0, args, 5, more.length);
        Pgk8sProcess run = pgk8s(args);
        assertThat(run.exitCode(RUN)).as("deploy %s: %s", profile, run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("✓ postgres " + profile + " ready in ");
        return run;
    }

    private String secret(String name, String key) {
        Secret secret = client.secrets().inNamespace(DEV.namespace()).withName(name).get();
        return SecretManifests.value(secret, key);
    }

    /** The app role through the ClusterIP, with the password from the Secret, once it answers. */
    private ConnectionSettings fromHost() {
        String clusterIp = client.services().inNamespace(DEV.namespace()).withName(DEV.serviceName()).get().getSpec()
                .getClusterIP();
        ConnectionSettings db = new ConnectionSettings(clusterIp, DEV.port(), DEV.database(), DEV.user(),
                secret(DEV.credentialsSecretName(), SecretManifests.PASSWORD_KEY));
        await().atMost(REACHABLE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(Sql.column(db, "SELECT 1")).containsExactly("1"));
        return db;
    }

    private Pod pod() {
        return client.pods().inNamespace(DEV.namespace()).withName(DEV.podName()).get();
    }

    @Test
    @Order(1)
    @DisplayName("deploy dev: Ready by its pg_isready probe; the init script made the schema as the app role")
    void deployDev() {
        deploy("dev");
        Pod pod = pod();
        assertThat(Readiness.isPodReady(pod)).isTrue();
        assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getExec().getCommand())
                .contains("pg_isready");

        ConnectionSettings db = fromHost();
        assertThat(Sql.column(db, "SELECT version()")).singleElement().asString().startsWith("PostgreSQL 16.");
        assertThat(Sql.column(db, "SELECT current_user || ' ' || rolsuper FROM pg_roles WHERE rolname = current_user"))
                .as("the services' role is no superuser").containsExactly("learnflow_user false");
        assertThat(Sql.tables(db)).as("made on first boot from the ConfigMap").containsAll(LearnFlowSchema.TABLES);
        assertThat(Sql.column(db, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                .as("owned by the app role, so that later migrations may alter them").containsExactly("learnflow_user");
        assertThat(Sql.column(db, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'learnflow'"))
                .containsExactly("learnflow_user");
        assertPasswordChecked(db);
    }

    @Test
    @Order(2)
    @DisplayName("migrate and verify from the host, through the Service, as learnflow_user")
    void migrateAndVerifyDev() {
        ConnectionSettings db = fromHost();
        Pgk8sProcess migrate = Pgk8sProcess.run(RUN, "migrate", db);
        assertThat(migrate.exitCode(RUN)).as(migrate.stderr()).isZero();
        assertThat(Sql.appliedVersions(db)).containsExactly(1);

        Pgk8sProcess verify = Pgk8sProcess.run(RUN, "verify", db);
        assertThat(verify.exitCode(RUN)).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).startsWith("✓ PostgreSQL healthy");
    }

    @Test
    @Order(3)
    @DisplayName("deploy prod --force: on a claim Bound to a prepared hostPath volume, written by uid 70")
    void deployProd() {
        PersistentVolumes.createOnRealNode(node, PROD.persistentStorage().orElseThrow(), PROD.namespace(),
                PROD.claimName());
        deploy("prod", "--force");

        assertThat(client.persistentVolumeClaims().inNamespace(PROD.namespace()).withName(PROD.claimName()).get()
                .getStatus().getPhase()).isEqualTo("Bound");
        String password = secret(PROD.credentialsSecretName(), SecretManifests.PASSWORD_KEY);
        assertThat(password).isNotEqualTo(DEV.defaultPassword()).hasSizeGreaterThanOrEqualTo(32);

        ConnectionSettings db = fromHost();
        assertThat(db.password()).isEqualTo(password);
        Pgk8sProcess migrate = Pgk8sProcess.run(RUN, "migrate", db);
        assertThat(migrate.exitCode(RUN)).as(migrate.stderr()).isZero();
        TestPostgres.execute(db, "INSERT INTO users (username, email) VALUES ('kept', 'kept@example.org')");
        assertPasswordChecked(db);
    }

    @Test
    @Order(4)
    @DisplayName("after a pod delete in prod, the data is there and the password still works; re-deploy keeps it")
    void prodSurvivesPodDelete() {
        String firstPod = pod().getMetadata().getUid();
        client.pods().inNamespace(PROD.namespace()).withName(PROD.podName()).delete();
        await().atMost(RUN).untilAsserted(() -> {
            Pod pod = pod();
            assertThat(pod).isNotNull();
            assertThat(pod.getMetadata().getUid()).isNotEqualTo(firstPod);
            assertThat(Readiness.isPodReady(pod)).isTrue();
        });

        Pgk8sProcess again = deploy("prod");
        assertThat(again.stderr().lines().filter(l -> !l.startsWith("waiting")))
                .allMatch(l -> l.endsWith(" unchanged"));

        ConnectionSettings db = fromHost();
        assertThat(Sql.column(db, "SELECT email FROM users WHERE username = 'kept'"))
                .containsExactly("kept@example.org");
        Pgk8sProcess verify = Pgk8sProcess.run(RUN, "verify", db);
        assertThat(verify.exitCode(RUN)).as(verify.stdout() + verify.stderr()).isZero();
        assertPasswordChecked(db);

        // connection shows the Secret's real values; the prod password only on request.
        Pgk8sProcess masked = pgk8s("connection");
        assertThat(masked.exitCode(RUN)).as(masked.stderr()).isZero();
        assertThat(masked.stdout()).contains("Host: postgres.postgres.svc.cluster.local",
                "Password: ******** (--show-secret)").doesNotContain(db.password());
        Pgk8sProcess shown = pgk8s("connection", "--show-secret", "-o", "env-file");
        assertThat(shown.exitCode(RUN)).as(shown.stderr()).isZero();
        assertThat(shown.stdout()).contains("PGPASSWORD=" + db.password() + "\n", "PGUSER=learnflow_user\n");
    }

    @Test
    @Order(5)
    @DisplayName("a bad image, then the good one again: the stuck pod is replaced, and the data stays")
    void rollbackFromABadImage() {
        Pgk8sProcess bad = pgk8s("deploy", "prod", "--image", RealNodeImages.POSTGRES + "-no-such-tag", "--timeout=30");
        assertThat(bad.exitCode(RUN)).as(bad.stderr()).isEqualTo(1);
        assertThat(bad.stderr()).contains("not ready after 30s").containsPattern("ErrImagePull|ImagePullBackOff");

        Pgk8sProcess good = deploy("prod");
        assertThat(good.stderr()).contains("statefulset.apps/postgres configured")
                .containsPattern("ErrImagePull|ImagePullBackOff").contains("so replaced by revision");

        ConnectionSettings db = fromHost();
        assertThat(Sql.column(db, "SELECT email FROM users WHERE username = 'kept'"))
                .containsExactly("kept@example.org");
    }

    private static void assertPasswordChecked(ConnectionSettings db) {
        ConnectionSettings wrong = new ConnectionSettings(db.host(), db.port(), db.database(), db.user(), "wrong");
        assertThatThrownBy(() -> Database.connect(wrong).close()).as("a wrong password is refused")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }
}
