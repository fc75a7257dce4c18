package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.TestPostgres;

class WaitProcessIT {
    /** Long enough for several 100 ms polls; the process must stay alive and quiet throughout. */
    private static final Duration MANY_POLLS = Duration.ofSeconds(1);
    private static final Duration SOON = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @Test
    @DisplayName("wait started before the database exists prints each state once and returns 0 once it is migrated")
    void waitsForTheDatabaseToExist() {
        TestPostgres server = TestPostgres.shared();
        String name = "waited_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        ConnectionSettings db = server.settingsFor(name);
        Pgk8sProcess wait = started(Pgk8sProcess.start("wait", db));
        String missing = "waiting for database " + name + " to exist";
        awaitStderr(wait, missing);
        stayAliveForManyPolls(wait);

        server.createDatabase(name);
        migrate(db, null);

        assertThat(wait.exitCode(SOON)).as(wait.stderr()).isZero();
        assertThat(wait.stdout()).contains("ready: " + name + " at version 1");
        assertThat(wait.stderr().lines()).contains(missing).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("wait started before the server is up prints each state once and returns 0 once it is migrated")
    void waitsForTheServerToStart() {
        int port = freePort();
        ConnectionSettings db = new ConnectionSettings("localhost", port, "waited", TestPostgres.APP_USER,
                TestPostgres.APP_PASSWORD);
        Pgk8sProcess wait = started(Pgk8sProcess.start("wait", db));
        awaitStderr(wait, "connection refused");
        stayAliveForManyPolls(wait);

        TestPostgres server = started(TestPostgres.startOwn(port, dir.resolve("data")));
        server.createDatabase("waited");
        migrate(db, null);

        assertThat(wait.exitCode(SOON)).as(wait.stderr()).isZero();
        assertThat(wait.stderr().lines()).anyMatch(line -> line.contains("connection refused")).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("wait survives a database restart while it waits")
    void survivesARestart() {
        int port = freePort();
        Path data = dir.resolve("data");
        TestPostgres first = started(TestPostgres.startOwn(port, data));
        first.createDatabase("waited");
        ConnectionSettings db = first.settingsFor("waited");
        Pgk8sProcess wait = started(Pgk8sProcess.start("wait", db));
        awaitStderr(wait, "waiting for schema version 1 (now 0");

        first.close();
        awaitStderr(wait, "connection refused");
        started(TestPostgres.startOwn(port, data));
        migrate(db, null);

        assertThat(wait.exitCode(SOON)).as(wait.stderr()).isZero();
    }

    @Test
    @DisplayName("wait --timeout 2 against nothing exits 1 with the last reason on one error line")
    void timesOut() {
        int port = freePort();
        Pgk8sProcess wait = started(Pgk8sProcess.start("wait", new ConnectionSettings("127.0.0.1", port, "learnflow",
                "learnflow_user", "secret"), "--timeout", "2"));

        assertThat(wait.exitCode(Duration.ofSeconds(15))).isEqualTo(1);
        List<String> errors = wait.stderr().lines().filter(line -> line.startsWith("error:")).toList();
        assertThat(errors).singleElement().asString()
                .contains("timed out after 2s", "127.0.0.1:" + port, "connection refused");
    }

    @Test
    @DisplayName("wait --min-version above what is applied keeps waiting, then returns 0 once it is reached")
    void waitsForTheMinimumVersion() {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        Pgk8sProcess wait = started(Pgk8sProcess.start("wait", db, "--min-version", "2"));
        awaitStderr(wait, "waiting for schema version 2 (now 0");

        MigrationDir migrations = MigrationDir.withProjectMigrations(dir);
        migrate(db, dir);
        awaitStderr(wait, "waiting for schema version 2 (now 1)");
        assertThat(wait.isAlive()).as("still waiting at version 1").isTrue();

        migrations.write("002_badges.sql", "CREATE TABLE badges (id SERIAL PRIMARY KEY);");
        migrate(db, dir);

        assertThat(wait.exitCode(SOON)).as(wait.stderr()).isZero();
        assertThat(wait.stdout()).contains("at version 2");
    }

    /** Runs migrate to the end, with the bundled migrations when dir is null. */
    private static void migrate(ConnectionSettings db, Path dir) {
        String[] args = dir == null ? new String[0] : new String[] { "--migrations", dir.toString() };
        Pgk8sProcess migrate = Pgk8sProcess.run(Duration.ofSeconds(60), "migrate", db, args);
        assertThat(migrate.exitCode(Duration.ZERO)).as(migrate.stderr()).isZero();
    }

    private static void awaitStderr(Pgk8sProcess process, String text) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(process.stderr()).as("stderr").contains(text));
    }

    private static void stayAliveForManyPolls(Pgk8sProcess process) {
        await().during(MANY_POLLS).atMost(MANY_POLLS.multipliedBy(3)).until(process::isAlive);
    }

    private <T extends AutoCloseable> T started(T resource) {
        cleanup.add(0, resource);
        return resource;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
