package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.kube.ClusterAccess;
import io.learnflow.pgk8s.kube.ClusterChecks;
import io.learnflow.pgk8s.kube.KubeTarget;
import io.learnflow.pgk8s.kube.Kubeconfigs;
import io.learnflow.pgk8s.migrate.MigrationSource;

/** verify's two halves together, against servers that refuse or never answer: real sockets, no cluster. */
class VerifyServiceTest {
    @TempDir
    static Path migrations;

    @BeforeAll
    static void oneMigration() throws IOException {
        Files.writeString(migrations.resolve("001_initial.sql"), "SELECT 1;");
    }

    @Test
    @DisplayName("without a cluster: one skipped check, saying why, then the database checks")
    void skippedFirst() throws IOException {
        List<HealthCheckResponse> checks = new VerifyService(new HealthService()).verify(refusedDb(), source(),
                ClusterAccess.choose(true, Optional::empty));

        assertThat(checks).extracting(HealthCheckResponse::getName)
                .containsExactly("kubernetes", "connect", "database", "select 1", "tables", "migrations");
        assertThat(VerifyReport.skipped(checks)).containsExactly("- kubernetes: skipped, --no-k8s");
    }

    @Test
    @DisplayName("an API server that never answers is given up at the deadline, whatever each request may take")
    void deadline(@TempDir Path dir) throws IOException {
        try (ServerSocket silent = silent()) {
            KubeTarget target = new KubeTarget(Kubeconfigs.pointingAt(dir, silent.getLocalPort()).toFile(), null);
            long started = System.nanoTime();

            List<HealthCheckResponse> checks = new VerifyService(new HealthService(), Duration.ofSeconds(30),
                    Duration.ofMillis(500)).verify(refusedDb(), source(), new ClusterAccess(Optional.of(target), null));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(DatabaseChecks.reason(checks, ClusterChecks.STATEFULSET)).isEqualTo("no answer from the"
                    + " Kubernetes API server of " + target.describe() + " within 0.5 s, check that the cluster is up,"
                    + " or pass --no-k8s");
        }
    }

    @Test
    @DisplayName("the Kubernetes and database checks wait at once: two silent servers cost the longer wait, not both")
    void concurrently(@TempDir Path dir) throws IOException {
        try (ServerSocket silentApi = silent(); ServerSocket silentDb = silent()) {
            ClusterAccess cluster = new ClusterAccess(Optional.of(new KubeTarget(
                    Kubeconfigs.pointingAt(dir, silentApi.getLocalPort()).toFile(), null)), null);
            VerifyService verifier = new VerifyService(new HealthService(), Duration.ofSeconds(30),
                    Duration.ofMillis(1500));
            ConnectionSettings waitsTwoSeconds = new ConnectionSettings("127.0.0.1", silentDb.getLocalPort(),
                    "learnflow", "u", "p").withConnectTimeout(2);
            // Loads the client's classes, quickly: nothing listens there.
            verifier.verify(refusedDb(), source(), new ClusterAccess(Optional.of(new KubeTarget(
                    Kubeconfigs.pointingAt(dir, closedPort()).toFile(), null)), null));

            Duration clusterAlone = timed(() -> verifier.verify(refusedDb(), source(), cluster));
            List<HealthCheckResponse> checks = new ArrayList<>();
            Duration both = timed(() -> checks.addAll(verifier.verify(waitsTwoSeconds, source(), cluster)));

            // One after the other, both would take the cluster's wait and 2 s more.
            assertThat(both).isLessThan(clusterAlone.plusSeconds(1));
            assertThat(DatabaseChecks.reason(checks, ClusterChecks.STATEFULSET)).startsWith("no answer");
            assertThat(DatabaseChecks.reason(checks, DatabaseChecks.CONNECT)).contains("no answer from 127.0.0.1:"
                    + silentDb.getLocalPort());
        }
    }

    private static Duration timed(ThrowingRunnable run) throws IOException {
        long started = System.nanoTime();
        run.run();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    private static MigrationSource source() {
        return MigrationSource.directory(migrations);
    }

    // Listens, never accepts: TCP connects, nothing ever answers.
    private static ServerSocket silent() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static ConnectionSettings refusedDb() throws IOException {
        return new ConnectionSettings("127.0.0.1", closedPort(), "learnflow", "u", "p");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket closed = silent()) {
            return closed.getLocalPort();
        }
    }
}
