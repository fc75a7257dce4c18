package io.learnflow.pgk8s.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static io.learnflow.pgk8s.kube.ClusterStates.pod;
import static io.learnflow.pgk8s.kube.ClusterStates.readyPod;
import static io.learnflow.pgk8s.kube.ClusterStates.slice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.health.DatabaseChecks;
import io.learnflow.pgk8s.health.VerifyReport;
import io.learnflow.pgk8s.profile.Profile;

class ClusterChecksTest {
    private static final Profile P = ClusterStates.P;
    private static final StatefulSet STATEFUL_SET = ClusterStates.statefulSet();

    @Test
    @DisplayName("a deployed StatefulSet, its pod Running and Ready and a ready endpoint pass, each saying what it saw")
    void healthy() {
        List<HealthCheckResponse> checks = ClusterStates.healthy();

        assertThat(DatabaseChecks.allUp(checks)).isTrue();
        assertThat(checks).extracting(HealthCheckResponse::getName, DatabaseChecks::reason).containsExactly(
                tuple("statefulset", "postgres in namespace postgres"),
                tuple("pod", "postgres-0 Running and Ready"),
                tuple("service", "postgres has a ready endpoint (10.0.0.7)"));
    }

    static Stream<Arguments> podsNotReady() {
        return Stream.of(
                Arguments.of("Running, not Ready", pod("Running", "False", UnaryOperator.identity()),
                        "postgres-0 not ready: Running, not ready yet"),
                Arguments.of("unschedulable", pod("Pending", "False", b -> b.editStatus().addNewCondition()
                        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                        .withMessage("0/1 nodes are available").endCondition().endStatus()),
                        "postgres-0 not ready: Unschedulable (0/1 nodes are available)"),
                Arguments.of("Ready but not Running", pod("Pending", "True", UnaryOperator.identity()),
                        "postgres-0 not ready: Pending"),
                Arguments.of("terminating", pod("Running", "True", b -> b.editMetadata()
                        .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata()),
                        "postgres-0 not ready: Terminating"),
                Arguments.of("missing", null, "postgres-0 not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podsNotReady")
    @DisplayName("a pod that is not Running and Ready fails, named, with RolloutStatus's reason")
    void podNotReady(String state, Pod pod, String reason) {
        List<HealthCheckResponse> checks = ClusterChecks.evaluate(P, STATEFUL_SET, pod, List.of(slice(true)));

        assertThat(DatabaseChecks.allUp(checks)).isFalse();
        assertThat(DatabaseChecks.reason(checks, ClusterChecks.POD)).isEqualTo(reason);
        assertThat(VerifyReport.text(checks)).contains("✗ pod " + reason + "\n");
    }

    @Test
    @DisplayName("no StatefulSet fails with how to make one")
    void noStatefulSet() {
        List<HealthCheckResponse> checks = ClusterChecks.evaluate(P, null, null, List.of());

        assertThat(VerifyReport.verdict(checks)).isEqualTo("✗ PostgreSQL not ready: statefulset: postgres not found"
                + " in namespace postgres, run pgk8s deploy (or --no-k8s for a database outside this cluster)");
    }

    @Test
    @DisplayName("the Service needs an endpoint that is ready; one whose ready is unset counts, as the API says")
    void endpoints() {
        assertThat(serviceUp(List.of())).isFalse();
        assertThat(serviceUp(List.of(slice(false)))).isFalse();
        assertThat(serviceUp(List.of(slice(false), slice(true)))).isTrue();
        assertThat(serviceUp(List.of(slice(null)))).isTrue();
        assertThat(DatabaseChecks.reason(ClusterChecks.evaluate(P, STATEFUL_SET, readyPod(), List.of(slice(false))),
                ClusterChecks.SERVICE)).isEqualTo("postgres has no ready endpoint");
    }

    @Test
    @DisplayName("an API server that refuses connections fails the checks at once, with the server and what to do")
    void refused(@TempDir Path dir) throws IOException {
        int port = closedPort();

        List<HealthCheckResponse> checks = read(Kubeconfigs.pointingAt(dir, port), Duration.ofSeconds(5));

        assertThat(checks).extracting(HealthCheckResponse::getName).containsExactly("statefulset", "pod", "service");
        assertThat(DatabaseChecks.allUp(checks)).isFalse();
        assertThat(DatabaseChecks.reason(checks, ClusterChecks.STATEFULSET))
                .startsWith("cannot reach the Kubernetes API server at https://127.0.0.1:" + port)
                .endsWith("check that the cluster is up and that --kubeconfig/--context name it");
        assertThat(DatabaseChecks.reason(checks, ClusterChecks.POD)).isEqualTo("not checked");
    }

    @Test
    @DisplayName("an API server that never answers fails the checks after the request timeout, not later")
    void silent(@TempDir Path dir) throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path kubeconfig = Kubeconfigs.pointingAt(dir, silent.getLocalPort());
            long started = System.nanoTime();
            List<HealthCheckResponse> checks = read(kubeconfig, Duration.ofMillis(500));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(DatabaseChecks.allUp(checks)).isFalse();
            assertThat(DatabaseChecks.reason(checks, ClusterChecks.STATEFULSET)).startsWith("cannot reach the"
                    + " Kubernetes API server at https://127.0.0.1:" + silent.getLocalPort()
                    + "/ (The timeout of 500 ms");
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }

    private static List<HealthCheckResponse> read(Path kubeconfig, Duration timeout) {
        try (KubernetesClient client = new KubeTarget(kubeconfig.toFile(), null).connect(timeout)) {
            return ClusterChecks.read(client, P);
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean serviceUp(List<EndpointSlice> slices) {
        return ClusterChecks.evaluate(P, STATEFUL_SET, readyPod(), slices).stream()
                .filter(c -> c.getName().equals(ClusterChecks.SERVICE))
                .allMatch(c -> c.getStatus() == HealthCheckResponse.Status.UP);
    }


}
