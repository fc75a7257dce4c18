package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.LearnFlowSchema;
import io.learnflow.pgk8s.migrate.MigrationService;
import io.learnflow.pgk8s.migrate.MigrationSource;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.TestPostgres;

/** What the probe sees of a real PostgreSQL in each state. */
class DbProbeTest {
    private final DbProbe probe = new DbProbe();

    @Test
    @DisplayName("a migrated database shows its tables and applied versions")
    void migrated(@TempDir Path dir) {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir).write("002_test.sql", "SELECT 1;");
        new MigrationService().migrate(db, MigrationSource.directory(migrations.path()), Duration.ofSeconds(5));

        DbSnapshot s = probe.probe(db);

        assertThat(s.serverUp()).isTrue();
        assertThat(s.databaseExists()).isTrue();
        assertThat(s.selectOne()).isTrue();
        assertThat(s.tables()).containsExactlyInAnyOrderElementsOf(LearnFlowSchema.TABLES);
        assertThat(s.appliedVersions()).containsExactly(1, 2);
        assertThat(DatabaseChecks.allUp(DatabaseChecks.evaluate(s, List.of(1, 2)))).isTrue();
    }

    @Test
    @DisplayName("an empty database exists but has no tables and no migrations")
    void empty() {
        DbSnapshot s = probe.probe(TestPostgres.shared().newDatabase());
        assertThat(s.databaseExists()).isTrue();
        assertThat(s.tables()).isEmpty();
        assertThat(s.schemaVersion()).isZero();
    }

    @Test
    @DisplayName("a database that does not exist is told apart from a server that is down")
    void missingDatabase() {
        DbSnapshot s = probe.probe(TestPostgres.shared().settingsFor("no_such_db"));
        assertThat(s.serverUp()).isTrue();
        assertThat(s.databaseExists()).isFalse();
    }

    @Test
    @DisplayName("a closed port is a server that is down, with the reason")
    void serverDown() {
        DbSnapshot s = probe.probe(new ConnectionSettings("127.0.0.1", 1, "learnflow", "u", "p"));
        assertThat(s.serverUp()).isFalse();
        assertThat(s.connectError()).isEqualTo("connection refused at 127.0.0.1:1");
    }
}
