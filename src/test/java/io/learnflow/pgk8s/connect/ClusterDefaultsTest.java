package io.learnflow.pgk8s.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.db.ConnectionOptions;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.kube.ClusterAccess;
import io.learnflow.pgk8s.kube.KubeTarget;
import io.learnflow.pgk8s.kube.Kubeconfigs;
import io.learnflow.pgk8s.manifest.Credentials;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.SpecOutputs;

/** What connection makes of the postgres-app Secret, and what it shows of a prod password. */
class ClusterDefaultsTest {
    /** Needs percent-encoding in a URI. */
    private static final String PROD_PASSWORD = "pr0d:p@ss/word";
    private static final Secret DEV = SecretManifests.app(Profile.DEV, Credentials.fixed(Profile.DEV).orElseThrow());
    private static final Secret PROD = SecretManifests.app(Profile.PROD, new Credentials(PROD_PASSWORD, "su"));

    @Test
    @DisplayName("a dev Secret gives exactly the spec's 8.5 block, password shown")
    void devIsTheSpecBlock() {
        ClusterDefaults dev = ClusterDefaults.of(DEV);

        assertThat(dev.secretPassword()).isFalse();
        assertThat(dev.render(ConnectionFormat.TEXT, dev.settings(), false)).isEqualTo(SpecOutputs.DEV_CONNECTION);
    }

    @Test
    @DisplayName("a dev-labelled Secret that kept prod's password (deploy dev after prod) is masked as prod")
    void devLabelWithProdPassword() {
        Secret kept = SecretManifests.app(Profile.DEV, new Credentials(PROD_PASSWORD, "su"));
        assertThat(kept.getMetadata().getLabels()).containsEntry(Profile.PROFILE_LABEL, "dev");

        assertThat(ClusterDefaults.of(kept).secretPassword()).isTrue();
        assertThat(ClusterDefaults.of(kept).render(ConnectionFormat.TEXT, ClusterDefaults.of(kept).settings(), false))
                .doesNotContain(PROD_PASSWORD).contains("Password: ******** (--show-secret)");
    }

    @Test
    @DisplayName("a prod Secret's password is masked in text, in its line and in the URI, unless --show-secret")
    void prodTextIsMasked() {
        ClusterDefaults prod = ClusterDefaults.of(PROD);

        assertThat(prod.secretPassword()).isTrue();
        assertThat(prod.render(ConnectionFormat.TEXT, prod.settings(), false)).isEqualTo(SpecOutputs.DEV_CONNECTION
                .replace("Password: dev_password_change_in_prod", "Password: ******** (--show-secret)")
                .replace(":dev_password_change_in_prod@", ":********@"));
        assertThat(prod.render(ConnectionFormat.TEXT, prod.settings(), true))
                .contains("Password: " + PROD_PASSWORD + "\n",
                        "Connection String: postgresql://learnflow_user:pr0d%3Ap%40ss%2Fword@postgres");
    }

    @ParameterizedTest
    @EnumSource(value = ConnectionFormat.class, names = "TEXT", mode = EnumSource.Mode.EXCLUDE)
    @DisplayName("every other format carries the password: refused for prod with exit 2, unless --show-secret")
    void prodMachineFormatsNeedShowSecret(ConnectionFormat format) {
        ClusterDefaults prod = ClusterDefaults.of(PROD);

        assertThatThrownBy(() -> prod.render(format, prod.settings(), false))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("-o " + format.label() + " prints the password of a prod Secret, add --show-secret to"
                        + " print it");
        assertThat(prod.render(format, prod.settings(), true)).isEqualTo(format.render(prod.settings()));
    }

    @Test
    @DisplayName("a Secret without the profile label counts as prod; a key it lacks keeps the built-in value")
    void unlabelledAndPartial() {
        Secret partial = new SecretBuilder(PROD).editMetadata().withLabels(Map.of()).endMetadata()
                .withData(Map.of(SecretManifests.APP_HOST, base64("db.example"), SecretManifests.APP_PASSWORD,
                        base64("pw")))
                .build();

        ClusterDefaults defaults = ClusterDefaults.of(partial);

        assertThat(defaults.secretPassword()).isTrue();
        assertThat(defaults.settings()).isEqualTo(new ConnectionSettings("db.example", 5432, "learnflow",
                "learnflow_user", "pw"));
    }

    @Test
    @DisplayName("a Secret whose port is not a port is refused")
    void badPort() {
        Secret bad = new SecretBuilder(DEV).addToData(SecretManifests.APP_PORT, base64("fifty")).build();

        assertThatThrownBy(() -> ClusterDefaults.of(bad)).isInstanceOf(Pgk8sException.class)
                .hasMessage("port 'fifty' is not a TCP port, give a number from 1 to 65535");
    }

    @Test
    @DisplayName("the Secret replaces the built-in defaults only: options and PG* variables still come first")
    void precedence(@TempDir Path home) {
        ConnectionResolver resolver = new ConnectionResolver(ConnectionEnvironment.of(Map.of("PGHOST", "from-env"),
                home), key -> Optional.empty()).withDefaults(ClusterDefaults.of(PROD).settings());

        ConnectionSettings resolved = resolver.resolve(new ConnectionOptions(null, "6432", null, "someone", null, null,
                null), warning -> { });

        assertThat(resolved.host()).isEqualTo("from-env");
        assertThat(resolved.port()).isEqualTo(6432);
        assertThat(resolved.user()).isEqualTo("someone");
        assertThat(resolved.password()).isEqualTo(PROD_PASSWORD);
        assertThat(resolved.database()).isEqualTo("learnflow");
    }

    @Test
    @DisplayName("without a cluster: the built-in defaults, and nothing to note")
    void noCluster() {
        List<String> notes = new ArrayList<>();

        assertThat(ClusterDefaults.read(ClusterAccess.choose(true, Optional::empty), notes::add))
                .isSameAs(ClusterDefaults.BUILT_IN);
        assertThat(notes).isEmpty();
    }

    @Test
    @DisplayName("a cluster that cannot be reached: one note saying so, then the built-in defaults")
    void unreachable(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        List<String> notes = new ArrayList<>();

        ClusterDefaults read = ClusterDefaults.read(access(Kubeconfigs.pointingAt(dir, port)), notes::add);

        assertThat(read).isSameAs(ClusterDefaults.BUILT_IN);
        assertThat(notes).singleElement().asString()
                .startsWith("cannot reach the Kubernetes API server at https://127.0.0.1:" + port + "/ (")
                .endsWith("; printing the built-in defaults");
    }

    @Test
    @DisplayName("a kubeconfig the client cannot read: one note saying so, then the built-in defaults")
    void unreadableKubeconfig(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("config"), "");
        List<String> notes = new ArrayList<>();

        assertThat(ClusterDefaults.read(access(empty), notes::add)).isSameAs(ClusterDefaults.BUILT_IN);
        assertThat(notes).singleElement().asString().startsWith("cannot use the kubeconfig " + empty + ": ")
                .endsWith("; printing the built-in defaults");
    }

    private static ClusterAccess access(Path kubeconfig) {
        return new ClusterAccess(Optional.of(new KubeTarget(kubeconfig.toFile(), null)), null);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
