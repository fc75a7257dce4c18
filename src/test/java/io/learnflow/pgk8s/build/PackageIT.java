package io.learnflow.pgk8s.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@code mvn package} leaves in {@code target/}, checked after it ran. */
class PackageIT {

    @Test
    @DisplayName("no second set of manifests: quarkus-kubernetes's target/kubernetes is removed, k8s/ is the one")
    void noGeneratedManifests() {
        assertThat(Path.of("target", "quarkus-app", "quarkus-run.jar")).as("the package ran").isRegularFile();
        assertThat(Path.of("target", "kubernetes")).doesNotExist();
        assertThat(Path.of("k8s", "pgk8s", "base", "objects.yaml")).isRegularFile();
    }
}
