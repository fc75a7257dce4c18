package io.learnflow.pgk8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.learnflow.pgk8s.testing.Commands;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane;
import io.learnflow.pgk8s.testing.controlplane.ControlPlaneExtension;
import io.learnflow.pgk8s.testing.controlplane.Kubeconform;
import io.learnflow.pgk8s.testing.controlplane.Kubectl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubeconform, strict, over {@code k8s/}: every object as the test apiserver's own OpenAPI v3 defines it. */
@ExtendWith(ControlPlaneExtension.class)
@DisplayName("the manifest linter")
class ManifestLintE2E {
    private static final Path K8S = Path.of("k8s");
    private static final Path BUILDS = Path.of("target", "manifest-lint");
    private static final List<String> KUSTOMIZATIONS = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    // Valid; the tests below break it one way each.
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  restartPolicy: Always
                  containers:
                  - name: web
                    image: nginx:1.27
            """;

    private static ControlPlane controlPlane;
    private static Kubeconform kubeconform;

    @BeforeAll
    static void makeSchemas(ControlPlane shared) {
        controlPlane = shared;
        kubeconform = Kubeconform.of(shared);
    }

    @Test
    @DisplayName("passes every object under k8s/, as kubectl apply -k or -f would send it")
    void k8sIsValid() throws IOException {
        List<Path> files = lintTargets();
        assertThat(files).as("YAML under %s", K8S).isNotEmpty();

        Commands.Result lint = kubeconform.lint(files);

        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.stdout()).as(lint.output()).contains("Invalid: 0, Errors: 0, Skipped: 0");
    }

    @Test
    @DisplayName("passes a valid Deployment")
    void passesTheUnbrokenDeployment(@TempDir Path dir) throws IOException {
        Commands.Result lint = kubeconform.lint(List.of(write(dir, DEPLOYMENT)));

        assertThat(lint.exitCode()).as(lint.output()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    // '|' between columns, and no quoting, as the expected messages hold single quotes.
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a misspelled field | replicas: 1 | replica: 1 | additional properties 'replica' not allowed",
        "a misspelled field in the pod template | restartPolicy | restartPolcy "
                + "| additional properties 'restartPolcy' not allowed",
        "a string for an integer | replicas: 1 | replicas: one | at '/spec/replicas': got string, want integer",
        "an apiVersion without the kind | apps/v1 | apps/v2 | could not find schema for Deployment",
    })
    @DisplayName("rejects that Deployment with")
    void rejectsBrokenDeployments(String what, String valid, String broken, String expected, @TempDir Path dir)
            throws IOException {
        assertThat(DEPLOYMENT).contains(valid);

        Commands.Result lint = kubeconform.lint(List.of(write(dir, DEPLOYMENT.replace(valid, broken))));

        assertThat(lint.exitCode()).as(lint.output()).isEqualTo(1);
        assertThat(lint.output()).contains(expected);
    }

    private static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("deployment.yaml"), yaml, StandardCharsets.UTF_8);
    }

    /**
     * A directory with a kustomization is linted as {@code kubectl kustomize} builds it, since its files may be
     * patches rather than objects, and a {@code kustomization.yaml} is no Kubernetes object; any other YAML file
     * is linted as it is.
     */
    private static List<Path> lintTargets() throws IOException {
        List<Path> targets = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(K8S)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (KUSTOMIZATIONS.stream().anyMatch(k -> Files.exists(dir.resolve(k)))) {
                    targets.add(kustomize(dir));
                } else {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                                .sorted().forEach(targets::add);
                    }
                }
            }
        }
        return targets;
    }

    private static Path kustomize(Path dir) throws IOException {
        Commands.Result build = Kubectl.run(controlPlane, "kustomize", dir.toString());
        assertThat(build.exitCode()).as("kubectl kustomize %s: %s", dir, build.stderr()).isZero();
        Path output = BUILDS.resolve(dir).resolve("kustomize-build.yaml");
        Files.createDirectories(output.getParent());
        Files.writeString(output, build.stdout(), StandardCharsets.UTF_8);
        return output;
    }
}
