package io.learnflow.pgk8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.kube.Kubeconfigs;
import io.learnflow.pgk8s.testing.TestPostgres;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * verify and connection without a cluster, and with one that cannot be reached. In-JVM, the kubeconfig is looked
 * for in {@link InJvmTestEnvironment}, so the developer's never counts.
 */
@QuarkusMainTest
class ClusterOptionsTest {
    private static final String SKIPPED = "- kubernetes: skipped, no kubeconfig (--kubeconfig, KUBECONFIG,"
            + " ~/.kube/config) and not in a pod";

    @Test
    @DisplayName("verify without a cluster: the skip line on stderr, the one verdict line on stdout, exit 0")
    void verifyWithoutCluster(QuarkusMainLauncher launcher) {
        ConnectionSettings db = migratedDatabase(launcher);

        LaunchResult result = launcher.launch(on(db, "verify"));

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getErrorStream()).containsExactly(SKIPPED);
        assertThat(result.getOutputStream()).singleElement().asString().startsWith("✓ PostgreSQL healthy: ");
    }

    @Test
    @DisplayName("verify --no-k8s -o json: the skip is a check with status SKIPPED, and stderr stays empty")
    void verifyJsonNoK8s(QuarkusMainLauncher launcher) {
        ConnectionSettings db = migratedDatabase(launcher);

        LaunchResult result = launcher.launch(on(db, "verify", "--no-k8s", "-o", "json"));

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getErrorOutput()).isEmpty();
        assertThat(result.getOutput()).startsWith("{\"healthy\":true,\"checks\":[{\"name\":\"kubernetes\","
                + "\"status\":\"SKIPPED\",\"reason\":\"--no-k8s\"}");
    }

    @Test
    @DisplayName("verify with a cluster that refuses connections exits 1 and says which server, whatever the database")
    void verifyUnreachableCluster(QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        ConnectionSettings db = migratedDatabase(launcher);
        int port = closedPort();

        LaunchResult result = launcher.launch(on(db, "verify", "--kubeconfig",
                Kubeconfigs.pointingAt(dir, port).toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutputStream()).first().asString().startsWith("✗ statefulset cannot reach the Kubernetes"
                + " API server at https://127.0.0.1:" + port + "/");
        assertThat(result.getOutputStream()).contains("✓ connect localhost:" + db.port());
    }

    @Test
    @DisplayName("connection with a cluster that refuses connections: one note on stderr, the dev block, exit 0")
    void connectionUnreachableCluster(QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        int port = closedPort();

        LaunchResult result = launcher.launch("connection", "--kubeconfig",
                Kubeconfigs.pointingAt(dir, port).toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.getErrorStream()).singleElement().asString()
                .startsWith("note: cannot reach the Kubernetes API server at https://127.0.0.1:" + port + "/")
                .endsWith("; printing the built-in defaults");
        assertThat(result.getOutputStream()).contains("Password: dev_password_change_in_prod");
    }

    @Test
    @DisplayName("connection --no-k8s reads no Secret and notes nothing, even with a --kubeconfig")
    void connectionNoK8s(QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        LaunchResult result = launcher.launch("connection", "--no-k8s", "--kubeconfig",
                Kubeconfigs.pointingAt(dir, closedPort()).toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.getErrorOutput()).isEmpty();
        assertThat(result.getOutputStream()).contains("Password: dev_password_change_in_prod");
    }

    private static ConnectionSettings migratedDatabase(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult migrate = launcher.launch(on(db, "migrate"));
        assertThat(migrate.exitCode()).as(migrate.getErrorOutput()).isZero();
        return db;
    }

    private static String[] on(ConnectionSettings db, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--host", db.host(), "--port", Integer.toString(db.port()), "--database", db.database(),
                "--user", db.user(), "--password", db.password()));
        return args.toArray(String[]::new);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
