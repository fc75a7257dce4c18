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
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.Manifests;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.manifest.Toolkit;
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
        return Map.entry(init, envFrom(init, services, progress.getMetadata().getNamespace()));
    }

    /** The dev migration Job's container, and its env from the postgres-app Secret that deploy makes. */
    private static Map.Entry<Container, Map<String, String>> migrationJobContainer() {
        Job job = Toolkit.migrateJob(Profile.DEV);
        Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<HasMetadata> postgres = Manifests.forRender(Manifests.Component.POSTGRES, Profile.DEV,
                InitialSchema.bundled());
        return Map.entry(migrate, envFrom(migrate, postgres, job.getMetadata().getNamespace()));
    }

    private static Map<String, String> envFrom(Container container, List<HasMetadata> objects, String namespace) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            Secret secret = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                    .filter(s -> s.getMetadata().getName().equals(from.getSecretRef().getName())
                            && s.getMetadata().getNamespace().equals(namespace))
                    .findFirst().orElseThrow(() -> new AssertionError("no Secret " + from.getSecretRef().getName()
                            + " in " + namespace));
            secret.getData().keySet().forEach(key -> env.put(key, SecretManifests.value(secret, key)));
        }
        return env;
    }

    private Pgk8sProcess start(int port, String... more) {
        return start(initContainer(), port, more);
    }

    private Pgk8sProcess start(Map.Entry<Container, Map<String, String>> container, int port, String... more) {
        Map<String, String> env = new LinkedHashMap<>(container.getValue());
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(port));
        List<String> args = new ArrayList<>(container.getKey().getArgs());
        args.addAll(List.of(more));
        Pgk8sProcess process = Pgk8sProcess.start(env, args.toArray(String[]::new));
        cleanup.add(0, process);
        return process;
    }

    /** A PostgreSQL 16 on {@code port} with the app role, its password and its database: what deploy makes. */
    private void startDatabase(int port, Map<String, String> env) {
        TestPostgres postgres = TestPostgres.startOwn(port, dir.resolve("data"));
        cleanup.add(0, postgres);
        ConnectionSettings admin = postgres.admin(postgres.settingsFor("postgres"));
        TestPostgres.execute(admin, "ALTER ROLE " + env.get("PGUSER") + " PASSWORD "
                + TestPostgres.literal(env.get("PGPASSWORD")));
        postgres.createDatabase(env.get("PGDATABASE"));
    }

    @Test
    @DisplayName("the migration Job's container, started before the first deploy's database, waits, then migrates")
    void migrationJobWaitsForTheDatabase() {
        var job = migrationJobContainer();
        assertThat(job.getKey().getArgs()).startsWith("migrate", "--wait");
        int port = freePort();
        Pgk8sProcess migrate = start(job, port);
        await().atMost(SOON).untilAsserted(() -> assertThat(migrate.stderr())
                .contains("waiting for PostgreSQL at 127.0.0.1:" + port));
        assertThat(migrate.isAlive()).isTrue();

        startDatabase(port, job.getValue());

        assertThat(migrate.exitCode(SOON)).as(migrate.stderr()).isZero();
        assertThat(migrate.stdout()).isEqualTo("applied 1 migration, now at version 1\n");
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

        startDatabase(port, init.getValue());
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
