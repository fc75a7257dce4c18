package io.learnflow.pgk8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;
import io.learnflow.pgk8s.testing.Tokens;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The CLI end to end inside Quarkus, against a real PostgreSQL: exit codes and what is printed. */
@QuarkusMainTest
class CommandsTest {

    private static String[] on(ConnectionSettings db, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--host", db.host(), "--port", Integer.toString(db.port()), "--database", db.database(),
                "--user", db.user(), "--password", db.password()));
        return args.toArray(String[]::new);
    }

    @Test
    @DisplayName("connection with nothing set prints the spec's dev block")
    void connectionDefaults(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("connection");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutputStream()).contains("Host: postgres.postgres.svc.cluster.local",
                "Connection String: postgresql://learnflow_user:dev_password_change_in_prod"
                        + "@postgres.postgres.svc.cluster.local:5432/learnflow");
    }

    @Test
    @DisplayName("a JDBC client using the URL from connection -o jdbc inserts a user and reads it back")
    void serviceIntegration(QuarkusMainLauncher launcher) throws Exception {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        assertThat(launcher.launch(on(db, "migrate")).exitCode()).isZero();
        LaunchResult printed = launcher.launch(on(db, "connection", "-o", "jdbc"));
        String url = printed.getOutput().trim();

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (username, email) VALUES ('test_user', 'test@example.com')");
            try (ResultSet rs = st.executeQuery("SELECT username, email FROM users")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("test_user test@example.com");
            }
        }
    }

    @Test
    @DisplayName("migrate applies the bundled migrations, then says up to date")
    void migrateBundled(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult first = launcher.launch(on(db, "migrate"));
        assertThat(first.exitCode()).isZero();
        assertThat(first.getOutput()).isEqualTo("applied 1 migration, now at version 1");
        assertThat(Tokens.count(first.getOutput())).as("migrate's success output, cl100k_base tokens")
                .isLessThanOrEqualTo(Tokens.RESULT_LIMIT);

        LaunchResult again = launcher.launch(on(db, "migrate", "-o", "json"));
        assertThat(again.exitCode()).isZero();
        assertThat(again.getOutput()).isEqualTo("{\"fromVersion\":1,\"toVersion\":1,\"applied\":0,\"newestFile\":1}");
    }

    @Test
    @DisplayName("verify exits 0 with one ✓ line on a migrated database, as the app role with its checked password")
    void verifyHealthy(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        launcher.launch(on(db, "migrate"));
        LaunchResult result = launcher.launch(on(db, "verify"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutputStream()).containsExactly("✓ PostgreSQL healthy: localhost:" + db.port() + "/"
                + db.database() + " at version 1");
    }

    @Test
    @DisplayName("verify exits 1 and names the reason when the schema is missing")
    void verifyUnhealthy(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult result = launcher.launch(on(db, "verify"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutputStream()).last().isEqualTo("✗ PostgreSQL not ready: tables: missing users,"
                + " learning_progress, struggles, exercises, code_executions");
    }

    @Test
    @DisplayName("verify exits 1 when nothing listens")
    void verifyDown(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("verify", "--host", "127.0.0.1", "--port", "1");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutputStream()).last()
                .isEqualTo("✗ PostgreSQL not ready: connect: connection refused at 127.0.0.1:1");
    }

    @Test
    @DisplayName("wait returns at once on a database that is already migrated")
    void waitReady(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        launcher.launch(on(db, "migrate"));
        LaunchResult result = launcher.launch(on(db, "wait", "--timeout", "5"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).isEqualTo("ready: " + db.database() + " at version 1");
        assertThat(Tokens.count(result.getOutput())).as("wait's success output, cl100k_base tokens")
                .isLessThanOrEqualTo(Tokens.RESULT_LIMIT);
    }

    @Test
    @DisplayName("a missing migrations directory is bad input: exit 2 and one error line")
    void missingDirectory(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult result = launcher.launch(on(db, "migrate", "--migrations", "/no/such/dir"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorStream()).containsExactly("error: migrations directory /no/such/dir does not exist:"
                + " pass --migrations DIR with NNN_description.sql files");
    }

    @Test
    @DisplayName("an unknown option is a usage error in one line")
    void unknownOption(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("verify", "--hots");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorStream()).hasSize(1).first().asString().startsWith("error: Unknown option: '--hots'")
                .endsWith("see 'pgk8s verify --help'");
    }

    @Test
    @DisplayName("no command is a usage error")
    void noCommand(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).isEqualTo("error: missing command, e.g. 'pgk8s local', see 'pgk8s --help'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "migrate", "wait", "verify", "connection", "local" })
    @DisplayName("every command's help documents the exit codes")
    void helpDocumentsExitCodes(String command, QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(command, "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Exit codes:", "0   ok", "1   failed", "2   usage error");
    }

    @Test
    @DisplayName("local --exit starts PostgreSQL 16, migrates and verifies: one verdict line of at most 40 tokens")
    void local(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("local", "--exit", "--port", "0");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutputStream()).singleElement().asString()
                .matches("✓ PostgreSQL healthy: localhost:\\d+/learnflow at version 1");
        assertThat(Tokens.count(result.getOutput())).isLessThanOrEqualTo(Tokens.RESULT_LIMIT);
        assertThat(result.getErrorStream().get(0)).startsWith("PostgreSQL 16 on localhost:");
        assertThat(result.getErrorStream()).contains("applied 1 migration, now at version 1");
    }

    @Test
    @DisplayName("local --data keeps the database across restarts")
    void localKeepsData(QuarkusMainLauncher launcher, @TempDir Path data) {
        String dir = data.resolve("pgdata").toString();
        LaunchResult first = launcher.launch("local", "--exit", "--port", "0", "--data", dir);
        assertThat(first.exitCode()).as(first.getErrorOutput()).isZero();
        assertThat(first.getErrorStream()).contains("applied 1 migration, now at version 1");

        LaunchResult second = launcher.launch("local", "--exit", "--port", "0", "--data", dir);
        assertThat(second.exitCode()).as(second.getErrorOutput()).isZero();
        assertThat(second.getErrorStream()).contains("up to date at version 1");
        assertThat(second.getOutputStream()).anyMatch(line -> line.startsWith("✓ PostgreSQL healthy"));
    }

    @Test
    @DisplayName("verify with a wrong password exits 1 and says so, with the fix")
    void verifyWrongPassword(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult result = launcher.launch(on(new ConnectionSettings(db.host(), db.port(), db.database(), db.user(),
                "not-the-password"), "verify"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutputStream()).last().isEqualTo("✗ PostgreSQL not ready: connect: password"
                + " authentication failed for " + db.user() + ": check PGPASSWORD or the postgres-app Secret");
    }

    @Test
    @DisplayName("migrate -o json prints a JSON error on stdout on failure, and the one error line on stderr")
    void migrateJsonFailure(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        java.nio.file.Files.writeString(dir.resolve("001_bad.sql"), "INSERT INTO nope VALUES (1);");
        LaunchResult result = launcher.launch(on(db, "migrate", "-o", "json", "--migrations", dir.toString()));
        assertThat(result.exitCode()).isEqualTo(1);
        String error = "migration 001_bad.sql failed at line 1: ERROR: relation \\\"nope\\\" does not exist;"
                + " it was rolled back, fix the file and run migrate again";
        assertThat(result.getOutput()).isEqualTo("{\"error\":\"" + error + "\",\"exitCode\":1}");
        assertThat(result.getErrorStream()).hasSize(1).first().asString().startsWith("error: migration 001_bad.sql");
    }

    @ParameterizedTest
    @ValueSource(strings = { "wait --timeout 0", "wait --timeout -5", "wait --min-version 0", "migrate --lock-wait 0",
            "migrate --lock-wait -1", "verify --port 0", "local --port -1", "local --port 70000" })
    @DisplayName("zero or negative durations, versions and ports are usage errors in one line, exit 2")
    void nonPositiveNumbers(String command, QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(command.split(" "));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorStream()).hasSize(1).first().asString().startsWith("error: ")
                .contains("'" + command.split(" ")[2] + "'");
    }

    @Test
    @DisplayName("local --data that is a file, or a non-empty directory of something else, is refused with exit 2")
    void localBadDataDirectory(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("file"), "x");
        LaunchResult onFile = launcher.launch("local", "--exit", "--port", "0", "--data", file.toString());
        assertThat(onFile.exitCode()).isEqualTo(2);
        assertThat(onFile.getErrorOutput()).isEqualTo("error: --data " + file + " is a file: give a directory, new or"
                + " made by pgk8s local");

        Path other = java.nio.file.Files.createDirectories(dir.resolve("photos"));
        java.nio.file.Files.writeString(other.resolve("cat.jpg"), "x");
        LaunchResult onOther = launcher.launch("local", "--exit", "--port", "0", "--data", other.toString());
        assertThat(onOther.exitCode()).isEqualTo(2);
        assertThat(onOther.getErrorOutput()).isEqualTo("error: --data " + other + " is not empty and is not a"
                + " PostgreSQL data directory (no PG_VERSION): give an empty or new directory");
        assertThat(other.toFile().list()).containsExactly("cat.jpg");
    }

    @Test
    @DisplayName("wait with a wrong password keeps waiting, says the real reason once, and exits 1 at its timeout")
    void waitWrongPassword(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult result = launcher.launch(on(new ConnectionSettings(db.host(), db.port(), db.database(), db.user(),
                "not-the-password"), "wait", "--timeout", "1"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorStream()).containsExactly(
                "waiting to log in: password authentication failed for " + db.user()
                        + ": check PGPASSWORD or the postgres-app Secret",
                "error: timed out after 1s waiting to log in: password authentication failed for " + db.user()
                        + ": check PGPASSWORD or the postgres-app Secret; check the database or raise --timeout");
    }

    @Test
    @DisplayName("migrate --wait against a role it cannot log in as waits, exits 1 at its end, and applies nothing")
    void migrateWaitTimesOut(QuarkusMainLauncher launcher) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        LaunchResult result = launcher.launch(on(new ConnectionSettings(db.host(), db.port(), db.database(), db.user(),
                "not-the-password"), "migrate", "--wait", "1"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("waiting to log in: password authentication failed",
                "error: timed out after 1s", "raise --wait");
        assertThat(Sql.column(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).containsExactly("0");
    }
}
