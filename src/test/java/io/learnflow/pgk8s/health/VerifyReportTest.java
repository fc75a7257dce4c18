package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.kube.ClusterChecks;
import io.learnflow.pgk8s.kube.ClusterStates;
import io.learnflow.pgk8s.profile.Profile;

/** How verify shows the Kubernetes checks beside the database's, and a skipped one apart from both. */
class VerifyReportTest {
    private static final List<HealthCheckResponse> DB_HEALTHY = DatabaseChecks.evaluate(Snapshots.migratedTo(1),
            List.of(1));

    @Test
    @DisplayName("a skipped check fails nothing, is no ✓/✗ line, and gets one '-' line of its own")
    void skippedIsApart() {
        List<HealthCheckResponse> checks = with(List.of(ClusterChecks.skipped("--no-k8s")),
                DatabaseChecks.evaluate(Snapshots.down(), List.of(1)));

        assertThat(DatabaseChecks.allUp(with(List.of(ClusterChecks.skipped("--no-k8s")), DB_HEALTHY))).isTrue();
        assertThat(VerifyReport.skipped(checks)).containsExactly("- kubernetes: skipped, --no-k8s");
        assertThat(VerifyReport.text(checks)).doesNotContain("kubernetes").startsWith("✗ connect ");
    }

    @Test
    @DisplayName("with nothing skipped there is no '-' line")
    void nothingSkipped() {
        assertThat(VerifyReport.skipped(with(ClusterStates.healthy(), DB_HEALTHY))).isEmpty();
    }

    @Test
    @DisplayName("JSON gives a skipped check status SKIPPED, with its reason, and stays healthy")
    void jsonSkipped() {
        String json = VerifyReport.json(with(List.of(ClusterChecks.skipped("--no-k8s")), DB_HEALTHY));

        assertThat(json).startsWith("{\"healthy\":true,\"checks\":[{\"name\":\"kubernetes\",\"status\":\"SKIPPED\","
                + "\"reason\":\"--no-k8s\"},{\"name\":\"connect\",\"status\":\"UP\"");
    }

    @Test
    @DisplayName("a pod that is not ready is a ✗ line naming it, and the verdict's reason, before the database's")
    void podNotReadyFirst() {
        List<HealthCheckResponse> cluster = ClusterChecks.evaluate(Profile.DEV, null, null, List.of());
        String text = VerifyReport.text(with(cluster, DB_HEALTHY));

        assertThat(text).startsWith("✗ statefulset postgres not found in namespace postgres, run pgk8s deploy"
                + " (or --no-k8s for a database outside this cluster)\n"
                + "✗ pod postgres-0 not found\n"
                + "✗ service postgres has no ready endpoint\n"
                + "✓ connect db:5432\n");
        assertThat(text).endsWith("\n✗ PostgreSQL not ready: statefulset: postgres not found in namespace postgres,"
                + " run pgk8s deploy (or --no-k8s for a database outside this cluster)");
    }

    @Test
    @DisplayName("JSON lists the Kubernetes checks with their reasons")
    void jsonCluster() {
        assertThat(VerifyReport.json(with(ClusterStates.healthy(), DB_HEALTHY))).contains(
                "{\"name\":\"pod\",\"status\":\"UP\",\"reason\":\"postgres-0 Running and Ready\"}");
    }

    private static List<HealthCheckResponse> with(List<HealthCheckResponse> cluster, List<HealthCheckResponse> db) {
        List<HealthCheckResponse> all = new ArrayList<>(cluster);
        all.addAll(db);
        return all;
    }
}
