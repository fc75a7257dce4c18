package io.learnflow.pgk8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.ManifestText;
import io.learnflow.pgk8s.manifest.Manifests;
import io.learnflow.pgk8s.profile.Profile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** render and deploy inside Quarkus: what they print, and bad input refused with exit 2 before any cluster. */
@QuarkusMainTest
class DeployCommandsTest {

    @Test
    @DisplayName("render prints the builders' YAML in apply order; -o json is one v1 List")
    void render(QuarkusMainLauncher launcher) {
        LaunchResult yaml = launcher.launch("render");
        assertThat(yaml.exitCode()).isZero();
        assertThat(yaml.getOutput() + "\n")
                .isEqualTo(ManifestText.yaml(Manifests.forRender(Profile.DEV, InitialSchema.bundled())));

        LaunchResult json = launcher.launch("render", "prod", "-o", "json");
        assertThat(json.exitCode()).isZero();
        KubernetesList list = new KubernetesSerialization().unmarshal(json.getOutput(), KubernetesList.class);
        assertThat(list.getItems()).extracting(Manifests::displayName).containsExactly("namespace/postgres",
                "configmap/postgres-init-schema", "service/postgres-headless", "service/postgres",
                "networkpolicy.networking.k8s.io/postgres-clients", "statefulset.apps/postgres");
    }

    @Test
    @DisplayName("render --image changes the StatefulSet's image and nothing else")
    void renderImage(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("render", "dev", "--image", "registry.example/pg:16.4");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("image: \"registry.example/pg:16.4\"").doesNotContain("postgres:16-alpine");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "render staging|error: unknown profile 'staging', use dev or prod",
            "deploy staging|error: unknown profile 'staging', use dev or prod",
            "deploy --timeout 0|error: Invalid value for option '--timeout': '0' must be 1 or more",
            "deploy dev --image x y|error: Unmatched argument",
            "render -o xml|error: Invalid value for option '--output'" })
    @DisplayName("bad input is exit 2 with one line, before any cluster is read")
    void badInput(String args, String message, QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(args.split(" "));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).startsWith(message).hasLineCount(1);
    }

    @Test
    @DisplayName("a --kubeconfig that is not there is exit 2 and names it")
    void missingKubeconfig(QuarkusMainLauncher launcher, @TempDir Path dir) {
        Path missing = dir.resolve("nope.kubeconfig");
        LaunchResult result = launcher.launch("deploy", "--kubeconfig", missing.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).isEqualTo("error: --kubeconfig " + missing
                + " is not a readable file, pass the path of a kubeconfig");
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    @DisplayName("a --context the kubeconfig does not have is exit 2, as kubectl refuses it, before any request")
    void unknownContext(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("one.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: only, context: {cluster: c, user: u}}]
                current-context: only
                """);
        LaunchResult result = launcher.launch("deploy", "--kubeconfig", kubeconfig.toString(), "--context", "other");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).isEqualTo("error: --context other is not in " + kubeconfig
                + ", pass one of its contexts (kubectl config get-contexts)");
    }
}
