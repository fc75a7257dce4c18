package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.LearnFlowSchema;
import io.learnflow.pgk8s.migrate.MigrationService;
import io.learnflow.pgk8s.migrate.MigrationSource;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.TestPostgres;

/** What the probe sees of a real PostgreSQL in each state, logged in as the roles services use. */
class DbProbeTest {
    private final DbProbe probe = new DbProbe();
    private final TestPostgres server = TestPostgres.shared();

    private ConnectionSettings migratedDatabase(Path dir) {
        ConnectionSettings db = server.newDatabase();
        new MigrationService().migrate(db, MigrationSource.directory(MigrationDir.withProjectMigrations(dir).path()),
                Duration.ofSeconds(5));
        return db;
    }

    @Test
    @DisplayName("a migrated database shows its tables and applied versions")
    void migrated(@TempDir Path dir) {
        ConnectionSettings db = server.newDatabase();
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir).write("002_test.sql", "SELECT 1;");
        new MigrationService().migrate(db, MigrationSource.directory(migrations.path()), Duration.ofSeconds(5));

        DbSnapshot s = probe.probe(db);

        assertThat(s.problem()).isNull();
        assertThat(s.selectOne()).isTrue();
        assertThat(s.tables()).containsExactlyInAnyOrderElementsOf(LearnFlowSchema.TABLES);
        assertThat(s.appliedVersions()).containsExactly(1, 2);
        assertThat(DatabaseChecks.allUp(DatabaseChecks.evaluate(s, List.of(1, 2)))).isTrue();
    }

    @Test
    @DisplayName("a service's own role, with no grants of its own, reads the schema version")
    void anotherRoleReadsTheVersion(@TempDir Path dir) {
        ConnectionSettings db = migratedDatabase(dir);
        String role = "svc_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestPostgres.execute(server.admin(db), "CREATE ROLE " + role + " LOGIN PASSWORD 'svc-secret'");

        DbSnapshot s = probe.probe(new ConnectionSettings(db.host(), db.port(), db.database(), role, "svc-secret"));

        assertThat(s.problem()).isNull();
        assertThat(s.appliedVersions()).containsExactly(1);
    }

    @Test
    @DisplayName("a wrong password is a refused login with its fix, not a server that is down")
    void wrongPassword() {
        ConnectionSettings db = server.newDatabase();
        DbSnapshot s = probe.probe(new ConnectionSettings(db.host(), db.port(), db.database(), db.user(), "wrong"));

        assertThat(s.serverUp()).isTrue();
        assertThat(s.problem()).isEqualTo(new Problem(Problem.Kind.LOGIN, "password authentication failed for "
                + db.user() + ": check PGPASSWORD or the postgres-app Secret"));
    }

    @Test
    @DisplayName("a role without CONNECT on the database gets the grant to ask for")
    void noConnectGrant() {
        ConnectionSettings db = server.newDatabase();
        String role = "noconnect_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestPostgres.execute(server.admin(db), "CREATE ROLE " + role + " LOGIN PASSWORD 'x-secret'");
        TestPostgres.execute(server.admin(db), "REVOKE CONNECT ON DATABASE " + db.database() + " FROM PUBLIC");

        DbSnapshot s = probe.probe(new ConnectionSettings(db.host(), db.port(), db.database(), role, "x-secret"));

        assertThat(s.problem().kind()).isEqualTo(Problem.Kind.PERMISSION);
        assertThat(s.problem().reason()).startsWith("permission denied for database \"" + db.database() + "\"")
                .endsWith("GRANT CONNECT ON DATABASE " + db.database() + " TO " + role);
    }

    @Test
    @DisplayName("a health query held up by a lock fails at the statement timeout, not as an unreachable server")
    void statementTimeout(@TempDir Path dir) throws Exception {
        ConnectionSettings db = migratedDatabase(dir);
        try (Connection locker = Database.connect(server.admin(db).withConnectTimeout(5));
                Statement st = locker.createStatement()) {
            locker.setAutoCommit(false);
            st.execute("LOCK TABLE " + LearnFlowSchema.HISTORY_TABLE + " IN ACCESS EXCLUSIVE MODE");

            DbSnapshot s = probe.probe(db);

            assertThat(s.serverUp()).isTrue();
            assertThat(s.problem()).isEqualTo(new Problem(Problem.Kind.QUERY,
                    "a health query took over 1000 ms: the server is overloaded or locked"));
            assertThat(VerifyReport.text(DatabaseChecks.evaluate(s, List.of(1)))).contains("✓ tables 5/5")
                    .endsWith("✗ PostgreSQL not ready: migrations: a health query took over 1000 ms: the server is"
                            + " overloaded or locked");
            locker.rollback();
        }
    }

    @Test
    @DisplayName("a role that may use no schema is told which grant it lacks")
    void noSchemaUsage(@TempDir Path dir) {
        ConnectionSettings db = migratedDatabase(dir);
        String role = "nousage_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestPostgres.execute(server.admin(db), "CREATE ROLE " + role + " LOGIN PASSWORD 'x-secret';"
                + " REVOKE USAGE ON SCHEMA public FROM PUBLIC");

        DbSnapshot s = probe.probe(new ConnectionSettings(db.host(), db.port(), db.database(), role, "x-secret"));

        assertThat(s.problem()).isEqualTo(new Problem(Problem.Kind.PERMISSION, "no schema on the search_path is usable"
                + " by " + role + ": GRANT USAGE ON SCHEMA public TO " + role));
    }

    @Test
    @DisplayName("another tool's schema_migrations table is never read as pgk8s's versions")
    void foreignSchemaMigrations() {
        ConnectionSettings db = server.newDatabase();
        TestPostgres.execute(db, "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean);"
                + " INSERT INTO schema_migrations VALUES (20240101, false)");

        DbSnapshot s = probe.probe(db);

        assertThat(s.appliedVersions()).isEmpty();
        assertThat(s.problem().reason()).startsWith("schema_migrations is not the view pgk8s makes (a table)");
        assertThat(Readiness.evaluate(s, List.of(1), 1).ready()).isFalse();
    }

    @Test
    @DisplayName("an empty database exists but has no tables and no migrations")
    void empty() {
        DbSnapshot s = probe.probe(server.newDatabase());
        assertThat(s.problem()).isNull();
        assertThat(s.tables()).isEmpty();
        assertThat(s.schema().version()).isZero();
    }

    @Test
    @DisplayName("a database that does not exist is told apart from a server that is down")
    void missingDatabase() {
        DbSnapshot s = probe.probe(server.settingsFor("no_such_db"));
        assertThat(s.serverUp()).isTrue();
        assertThat(s.problem()).isEqualTo(new Problem(Problem.Kind.NO_DATABASE, "no_such_db does not exist"));
    }

    @Test
    @DisplayName("a closed port is a server that is down, with the reason")
    void serverDown() {
        DbSnapshot s = probe.probe(new ConnectionSettings("127.0.0.1", 1, "learnflow", "u", "p"));
        assertThat(s.serverUp()).isFalse();
        assertThat(s.problem()).isEqualTo(new Problem(Problem.Kind.UNREACHABLE, "connection refused at 127.0.0.1:1"));
    }
}
