package io.learnflow.pgk8s.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.deploy.DeployService;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.SpecOutputs;
import io.learnflow.pgk8s.testing.TestPostgres;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane;
import io.learnflow.pgk8s.testing.controlplane.ControlPlaneExtension;
import io.learnflow.pgk8s.testing.controlplane.PersistentVolumes;

/**
 * verify and connection as processes against a deployment on the kwok control plane: the Kubernetes checks, and
 * the postgres-app Secret's values. The namespace is the fixed {@code postgres}, shared with other E2E classes:
 * this class deletes it before and after, and its tests run in order, dev first, then prod.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("verify and connection on a deployment in the e2e control plane")
class VerifyConnectionE2E {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Profile P = Profile.DEV;
    private static final String DEV_BLOCK = SpecOutputs.DEV_CONNECTION + "\n";

    private final ControlPlane controlPlane;
    private final KubernetesClient client;
    private final List<PersistentVolume> volumes = new ArrayList<>();
    private ConnectionSettings db;

    VerifyConnectionE2E(ControlPlane controlPlane, KubernetesClient client) {
        this.controlPlane = controlPlane;
        this.client = client;
    }

    @BeforeAll
    void startClean() {
        deleteNamespace();
        db = TestPostgres.shared().newDatabase();
        Pgk8sProcess migrate = Pgk8sProcess.start(Pgk8sProcess.on(db, "migrate"));
        assertThat(migrate.exitCode(RUN)).as(migrate.stderr()).isZero();
    }

    @AfterAll
    void leaveClean() {
        deleteNamespace();
        volumes.forEach(v -> client.persistentVolumes().withName(v.getMetadata().getName()).delete());
    }

    @Test
    @Order(1)
    @DisplayName("verify on a healthy dev deployment exits 0 with one line, the database reached through --host")
    void verifyHealthy() {
        deploy(P);

        Pgk8sProcess verify = run(withCluster(), Pgk8sProcess.on(db, "verify"));

        assertThat(verify.exitCode(RUN)).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).isEqualTo("✓ PostgreSQL healthy: localhost:" + db.port() + "/" + db.database()
                + " at version 1\n");
        assertThat(verify.stderr()).isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("verify -o json lists the Kubernetes checks up, each with what it saw")
    void verifyJson() {
        Pgk8sProcess verify = run(withCluster(), Pgk8sProcess.on(db, "verify", "-o", "json"));

        assertThat(verify.exitCode(RUN)).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout()).startsWith("{\"healthy\":true,\"checks\":[{\"name\":\"statefulset\",\"status\":\"UP\","
                + "\"reason\":\"postgres in namespace postgres\"},{\"name\":\"pod\",\"status\":\"UP\",\"reason\":"
                + "\"postgres-0 Running and Ready\"},{\"name\":\"service\",\"status\":\"UP\",\"reason\":"
                + "\"postgres has a ready endpoint");
    }

    @Test
    @Order(3)
    @DisplayName("connection on dev prints the Secret's values: exactly the spec's 8.5 block, nothing on stderr")
    void connectionDev() {
        Pgk8sProcess connection = run(withCluster(), "connection");

        assertThat(connection.exitCode(RUN)).as(connection.stderr()).isZero();
        assertThat(connection.stdout()).isEqualTo(DEV_BLOCK);
        assertThat(connection.stderr()).isEmpty();
    }

    @Test
    @Order(4)
    @DisplayName("verify --no-k8s, and verify with no kubeconfig at all, print the skip line on stderr and exit 0")
    void skipped() throws IOException {
        Pgk8sProcess noK8s = run(withCluster(), Pgk8sProcess.on(db, "verify", "--no-k8s"));
        Path emptyHome = Files.createTempDirectory("pgk8s-empty-home");
        Pgk8sProcess noConfig = run(Map.of("HOME", emptyHome.toString(), "KUBECONFIG", ""),
                Pgk8sProcess.on(db, "verify"));

        assertThat(noK8s.exitCode(RUN)).as(noK8s.stderr()).isZero();
        assertThat(noK8s.stderr()).isEqualTo("- kubernetes: skipped, --no-k8s\n");
        assertThat(noK8s.stdout()).startsWith("✓ PostgreSQL healthy").hasLineCount(1);
        assertThat(noConfig.exitCode(RUN)).as(noConfig.stderr()).isZero();
        assertThat(noConfig.stderr()).isEqualTo("- kubernetes: skipped, no kubeconfig (--kubeconfig, KUBECONFIG,"
                + " ~/.kube/config) and not in a pod\n");
        assertThat(noConfig.stdout()).startsWith("✓ PostgreSQL healthy").hasLineCount(1);
    }

    @Test
    @Order(5)
    @DisplayName("with postgres-0 not ready (unschedulable), verify exits 1 and names the pod and why")
    void podNotReady() {
        // A node selector that no node matches: the rolling update replaces postgres-0 with a pod that stays Pending.
        client.apps().statefulSets().inNamespace(P.namespace()).withName(P.statefulSetName())
                .edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate().editSpec()
                        .withNodeSelector(Map.of("pgk8s.test/no-such-node", "true"))
                        .endSpec().endTemplate().endSpec().build());
        client.pods().inNamespace(P.namespace()).withName(P.podName())
                .waitUntilCondition(VerifyConnectionE2E::unschedulable, RUN.toSeconds(), TimeUnit.SECONDS);

        Pgk8sProcess verify = run(withCluster(), Pgk8sProcess.on(db, "verify"));

        assertThat(verify.exitCode(RUN)).as(verify.stdout() + verify.stderr()).isEqualTo(1);
        assertThat(verify.stdout()).contains("✓ statefulset postgres in namespace postgres\n",
                "✗ pod postgres-0 not ready: Unschedulable (", "✗ service postgres has no ready endpoint\n",
                "✓ connect localhost:" + db.port() + "\n");
        assertThat(verify.stdout().lines().toList()).last().asString()
                .startsWith("✗ PostgreSQL not ready: pod: postgres-0 not ready: Unschedulable (");
    }

    @Test
    @Order(6)
    @DisplayName("connection on prod masks the generated password, shows it with --show-secret; -o env needs it")
    void connectionProd() {
        deleteNamespace();
        volumes.addAll(PersistentVolumes.create(client, 1, Profile.PROD.storage()));
        deploy(Profile.PROD);
        String password = SecretManifests.value(client.secrets().inNamespace(P.namespace())
                .withName(P.appSecretName()).get(), SecretManifests.APP_PASSWORD);

        Pgk8sProcess masked = run(withCluster(), "connection");
        Pgk8sProcess shown = run(withCluster(), "connection", "--show-secret");
        Pgk8sProcess env = run(withCluster(), "connection", "-o", "env");
        Pgk8sProcess envShown = run(withCluster(), "connection", "-o", "env", "--show-secret");

        assertThat(password).hasSizeGreaterThan(20).isNotEqualTo(Profile.DEV.defaultPassword());
        assertThat(masked.exitCode(RUN)).as(masked.stderr()).isZero();
        assertThat(masked.stdout()).contains("Password: ******** (--show-secret)\n",
                "Connection String: postgresql://learnflow_user:********@postgres.postgres.svc.cluster.local:5432"
                        + "/learnflow\n").doesNotContain(password);
        assertThat(shown.exitCode(RUN)).as(shown.stderr()).isZero();
        assertThat(shown.stdout()).contains("Password: " + password + "\n",
                "Connection String: postgresql://learnflow_user:" + password + "@postgres.postgres.svc.cluster.local");
        assertThat(env.exitCode(RUN)).isEqualTo(2);
        assertThat(env.stdout()).isEmpty();
        assertThat(env.stderr()).isEqualTo("error: -o env prints the password of a prod Secret, add --show-secret"
                + " to print it\n");
        assertThat(envShown.exitCode(RUN)).as(envShown.stderr()).isZero();
        assertThat(envShown.stdout()).contains("export PGPASSWORD='" + password + "'\n");
    }

    @Test
    @Order(7)
    @DisplayName("connection without the Secret notes it on stderr, prints the built-in defaults and exits 0")
    void connectionWithoutSecret() {
        client.secrets().inNamespace(P.namespace()).withName(P.appSecretName()).delete();
        client.secrets().inNamespace(P.namespace()).withName(P.appSecretName())
                .waitUntilCondition(Objects::isNull, RUN.toSeconds(), TimeUnit.SECONDS);

        Pgk8sProcess connection = run(withCluster(), "connection");

        assertThat(connection.exitCode(RUN)).as(connection.stderr()).isZero();
        assertThat(connection.stderr()).isEqualTo("note: secret/postgres-app not found in namespace postgres;"
                + " printing the built-in defaults\n");
        assertThat(connection.stdout()).isEqualTo(DEV_BLOCK);
    }

    private Map<String, String> withCluster() {
        return Map.of("KUBECONFIG", controlPlane.kubeconfig().toString());
    }

    private static Pgk8sProcess run(Map<String, String> env, String... args) {
        Pgk8sProcess process = Pgk8sProcess.start(env, args);
        process.exitCode(RUN);
        return process;
    }

    private void deploy(Profile profile) {
        new DeployService(client, new SecureRandom()).deploy(profile, InitialSchema.bundled(),
                new DeployService.Options(false, false, false, RUN), line -> { }, line -> { });
    }

    // Other E2E classes use the same fixed namespace: leave nothing of ours, take nothing of theirs.
    private void deleteNamespace() {
        client.namespaces().withName(P.namespace()).delete();
        client.namespaces().withName(P.namespace())
                .waitUntilCondition(Objects::isNull, 2 * RUN.toSeconds(), TimeUnit.SECONDS);
    }

    private static boolean unschedulable(Pod pod) {
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    }
}
