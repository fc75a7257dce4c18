package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DatabaseChecksTest {

    @Test
    @DisplayName("a migrated database passes every check and verify prints a ✓ line for each")
    void healthy() {
        var checks = DatabaseChecks.evaluate(Snapshots.migratedTo(1, 2), List.of(1, 2));
        assertThat(DatabaseChecks.allUp(checks)).isTrue();
        assertThat(VerifyReport.text(checks)).isEqualTo("""
                ✓ connect db:5432
                ✓ database learnflow
                ✓ select 1
                ✓ tables 5/5
                ✓ migrations at version 2
                ✓ PostgreSQL healthy""");
    }

    @Test
    @DisplayName("pending migrations make the database unhealthy and are listed")
    void pending() {
        var checks = DatabaseChecks.evaluate(Snapshots.migratedTo(1), List.of(1, 2, 3));
        assertThat(DatabaseChecks.allUp(checks)).isFalse();
        assertThat(VerifyReport.verdict(checks)).isEqualTo("✗ PostgreSQL not ready: migrations: 2 pending: 2, 3");
    }

    @Test
    @DisplayName("missing tables are named")
    void missingTables() {
        DbSnapshot s = new DbSnapshot(Snapshots.TARGET, null, true, true, Set.of("users", "exercises"),
                new TreeSet<>(List.of(1)));
        var checks = DatabaseChecks.evaluate(s, List.of(1));
        assertThat(VerifyReport.verdict(checks))
                .isEqualTo("✗ PostgreSQL not ready: tables: missing learning_progress, struggles, code_executions");
    }

    @Test
    @DisplayName("a missing database is reported by the database check, the server being up")
    void missingDatabase() {
        var checks = DatabaseChecks.evaluate(Snapshots.noDatabase(), List.of(1));
        assertThat(VerifyReport.text(checks)).startsWith("✓ connect db:5432\n✗ database learnflow does not exist\n")
                .endsWith("✗ PostgreSQL not ready: database: learnflow does not exist");
    }

    @Test
    @DisplayName("a server that is down fails first on connect, with the reason")
    void serverDown() {
        var checks = DatabaseChecks.evaluate(Snapshots.down(), List.of(1));
        assertThat(VerifyReport.text(checks)).isEqualTo("""
                ✗ connect connection refused at db:5432
                ✗ database learnflow not reachable
                ✗ select 1 not checked
                ✗ tables not checked
                ✗ migrations not checked
                ✗ PostgreSQL not ready: connect: connection refused at db:5432""");
        assertThat(VerifyReport.json(checks)).startsWith("{\"healthy\":false,\"checks\":[{\"name\":\"connect\",\"status\":\"DOWN\"");
    }

    @Test
    @DisplayName("an empty database has no migrations applied")
    void nothingApplied() {
        DbSnapshot s = new DbSnapshot(Snapshots.TARGET, null, true, true, Set.of(), Collections.emptySortedSet());
        assertThat(VerifyReport.text(DatabaseChecks.evaluate(s, List.of(1)))).contains("✗ migrations 1 pending: 1");
    }
}
