package io.learnflow.pgk8s.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionEnvironment;

/** Finding the cluster as kubectl does, in the environment the command is given, reading files only. */
class KubeTargetTest {

    @Test
    @DisplayName("KUBECONFIG's existing files win over ~/.kube/config; a missing one is skipped, as kubectl does")
    void kubeconfigVariable(@TempDir Path dir) throws IOException {
        Path b = Files.writeString(dir.resolve("b"), "");
        Path c = Files.writeString(dir.resolve("c"), "");
        Path home = homeWithConfig(dir);

        Optional<KubeTarget> found = KubeTarget.find(null, "ctx", ConnectionEnvironment.of(
                Map.of("KUBECONFIG", dir.resolve("a") + File.pathSeparator + b + File.pathSeparator + c), home));

        assertThat(found).contains(new KubeTarget(List.of(b.toFile(), c.toFile()), "ctx"));
    }

    @Test
    @DisplayName("KUBECONFIG's files are merged: the first file's current context, a later file's context by name")
    void mergedKubeconfigs(@TempDir Path dir) {
        Path first = Kubeconfigs.pointingAt(dir, 6443);
        Path second = Kubeconfigs.pointingAt(dir, 7443, "prod");
        List<File> both = List.of(first.toFile(), second.toFile());

        try (KubernetesClient current = new KubeTarget(both, null).connect(Duration.ofSeconds(1));
                KubernetesClient prod = new KubeTarget(both, "prod").connect(Duration.ofSeconds(1))) {
            assertThat(current.getMasterUrl().getPort()).isEqualTo(6443);
            assertThat(prod.getMasterUrl().getPort()).isEqualTo(7443);
        }
        assertThat(System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE)).as("the property is restored").isNull();
        assertThatThrownBy(() -> new KubeTarget(both, "staging").connect(Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageStartingWith("--context staging is not in " + first + File.pathSeparator + second);
    }

    @Test
    @DisplayName("without KUBECONFIG (or with it empty), the home's .kube/config")
    void homeConfig(@TempDir Path dir) throws IOException {
        Path home = homeWithConfig(dir);

        assertThat(KubeTarget.find(null, null, ConnectionEnvironment.of(Map.of("KUBECONFIG", ""), home)))
                .contains(new KubeTarget(home.resolve(".kube/config").toFile(), null));
    }

    @Test
    @DisplayName("no kubeconfig and not in a pod: nothing, and verify says why")
    void nothing(@TempDir Path home) {
        assertThat(KubeTarget.find(null, null, ConnectionEnvironment.of(Map.of(), home))).isEmpty();
        assertThat(ClusterAccess.choose(false, () -> KubeTarget.find(null, null, ConnectionEnvironment.of(Map.of(),
                home))).skipReason()).isEqualTo("no kubeconfig (--kubeconfig, KUBECONFIG, ~/.kube/config) and not"
                        + " in a pod");
    }

    @Test
    @DisplayName("--no-k8s looks for nothing, so not even a bad --kubeconfig matters")
    void noK8s() {
        ClusterAccess access = ClusterAccess.choose(true, () -> {
            throw new AssertionError("looked for a cluster");
        });

        assertThat(access.target()).isEmpty();
        assertThat(access.skipReason()).isEqualTo("--no-k8s");
    }

    @Test
    @DisplayName("--kubeconfig naming a missing file is bad input")
    void missingOption(@TempDir Path dir) {
        assertThatThrownBy(() -> KubeTarget.find(dir.resolve("nope"), null, ConnectionEnvironment.of(Map.of(), dir)))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }

    @Test
    @DisplayName("a kubeconfig the client cannot read is bad input, naming the file")
    void unreadable(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("config"), "clusters: [ this is not: a kubeconfig");

        assertThatThrownBy(() -> new KubeTarget(broken.toFile(), null).connect(Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageStartingWith("cannot use the kubeconfig " + broken + ": ")
                .hasMessageEndingWith(", fix it or pass another with --kubeconfig");
    }

    private static Path homeWithConfig(Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "");
        return home;
    }
}
