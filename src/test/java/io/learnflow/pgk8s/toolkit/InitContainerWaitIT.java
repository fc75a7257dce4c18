package io.learnflow.pgk8s.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.Manifests;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.TestPostgres;

/**
 * The init-container role without a cluster: the packaged {@code pgk8s} run with the args and the environment the
 * example Deployment's init container gets (its Secret's keys, as kubelet's {@code envFrom} makes them), only
 * PGHOST and PGPORT pointed at an embedded PostgreSQL 16 that starts after it.
 */
class InitContainerWaitIT {
    private static final Duration SOON = Duration.ofSeconds(60);
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** The dev Deployment's init container, and the env kubelet would give it from the Secret in its namespace. */
    private static Map.Entry<Container, Map<String, String>> initContainer() {
        List<HasMetadata> services = Manifests.forRender(Manifests.Component.SERVICES, Profile.DEV,
                InitialSchema.bundled());
        Deployment progress = services.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals("progress")).findFirst().orElseThrow();
        Container init = progress.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : init.getEnvFrom()) {
            Secret secret = services.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                    .filter(s -> s.getMetadata().getName().equals(from.getSecretRef().getName())
                            && s.getMetadata().getNamespace().equals(progress.getMetadata().getNamespace()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Secret " + from.getSecretRef().getName()
                            + " in " + progress.getMetadata().getNamespace()));
            secret.getData().keySet().forEach(key -> env.put(key, SecretManifests.value(secret, key)));
        }
        return Map.entry(init, env);
    }

    private Pgk8sProcess start(int port, String... more) {
        var init = initContainer();
        Map<String, String> env = new LinkedHashMap<>(init.getValue());
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(port));
        List<String> args = new ArrayList<>(init.getKey().getArgs());
        args.addAll(List.of(more));
        Pgk8sProcess process = Pgk8sProcess.start(env, args.toArray(String[]::new));
        cleanup.add(0, process);
        return process;
    }

    @Test
    @DisplayName("started before the database, it waits, and exits 0 once the database is migrated")
    void waitsThenReturns() {
        var init = initContainer();
        assertThat(init.getKey().getArgs()).containsExactly("wait");
        assertThat(init.getValue()).containsKeys("PGDATABASE", "PGUSER", "PGPASSWORD");
        int port = freePort();
        Pgk8sProcess wait = start(port);
        await().atMost(SOON).untilAsserted(() -> assertThat(wait.stderr()).contains("waiting for PostgreSQL at 127.0.0.1:"
                + port));

        TestPostgres postgres = TestPostgres.startOwn(port, dir.resolve("data"));
        cleanup.add(0, postgres);
        // The app role with the Secret's password, and its database: what deploy's init script makes.
        ConnectionSettings admin = postgres.admin(postgres.settingsFor("postgres"));
        TestPostgres.execute(admin, "ALTER ROLE " + init.getValue().get("PGUSER") + " PASSWORD "
                + TestPostgres.literal(init.getValue().get("PGPASSWORD")));
        postgres.createDatabase(init.getValue().get("PGDATABASE"));
        await().atMost(SOON).untilAsserted(() -> assertThat(wait.stderr()).contains("waiting for schema version 1"));
        assertThat(wait.isAlive()).as("not migrated yet: still waiting").isTrue();

        ConnectionSettings app = new ConnectionSettings("127.0.0.1", port, init.getValue().get("PGDATABASE"),
                init.getValue().get("PGUSER"), init.getValue().get("PGPASSWORD"));
        Pgk8sProcess migrate = Pgk8sProcess.run(SOON, "migrate", app);
        assertThat(migrate.exitCode(SOON)).as(migrate.stderr()).isZero();

        assertThat(wait.exitCode(SOON)).as(wait.stderr()).isZero();
        assertThat(wait.stdout()).isEqualTo("ready: learnflow at version 1\n");
    }

    @Test
    @DisplayName("with no database, it exits 1 after --timeout")
    void timesOut() {
        Pgk8sProcess wait = start(freePort(), "--timeout", "2");
        assertThat(wait.exitCode(SOON)).isEqualTo(1);
        assertThat(wait.stderr()).contains("error: ", "timed out after 2s");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
