package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseChecksTest {

    @Test
    @DisplayName("a migrated database passes every check, and verify says so in one line")
    void healthy() {
        var checks = DatabaseChecks.evaluate(Snapshots.migratedTo(1, 2), List.of(1, 2));
        assertThat(DatabaseChecks.allUp(checks)).isTrue();
        assertThat(VerifyReport.text(checks)).isEqualTo("✓ PostgreSQL healthy: db:5432/learnflow at version 2");
    }

    @Test
    @DisplayName("pending migrations make the database unhealthy and are listed")
    void pending() {
        var checks = DatabaseChecks.evaluate(Snapshots.migratedTo(1), List.of(1, 2, 3));
        assertThat(DatabaseChecks.allUp(checks)).isFalse();
        assertThat(VerifyReport.verdict(checks)).isEqualTo("✗ PostgreSQL not ready: migrations: 2 pending: 2, 3");
    }

    @Test
    @DisplayName("after an image rollback, versions above the image's newest file are healthy, and said so")
    void aheadOfTheImage() {
        var checks = DatabaseChecks.evaluate(Snapshots.migratedTo(1, 2, 3, 4), List.of(1, 2));
        assertThat(VerifyReport.text(checks))
                .isEqualTo("✓ PostgreSQL healthy: db:5432/learnflow at version 4, ahead of this image's 2");
    }

    @Test
    @DisplayName("missing tables are named")
    void missingTables() {
        DbSnapshot s = new DbSnapshot(Snapshots.TARGET, null, true, Set.of("users", "exercises"), new TreeSet<>(List.of(1)));
        var checks = DatabaseChecks.evaluate(s, List.of(1));
        assertThat(VerifyReport.verdict(checks))
                .isEqualTo("✗ PostgreSQL not ready: tables: missing learning_progress, struggles, code_executions");
    }

    @Test
    @DisplayName("a missing database is reported by the database check, the server being up")
    void missingDatabase() {
        var checks = DatabaseChecks.evaluate(Snapshots.noDatabase(), List.of(1));
        assertThat(VerifyReport.text(checks)).startsWith("✓ connect db:5432\n✗ database learnflow does not exist: create it, or check PGDATABASE\n")
                .endsWith("✗ PostgreSQL not ready: database: learnflow does not exist: create it, or check PGDATABASE");
    }

    @Test
    @DisplayName("a refused login is not a server that is down: connect fails with the reason and its fix")
    void refusedLogin() {
        var checks = DatabaseChecks.evaluate(Snapshots.failed(Problem.Kind.LOGIN,
                "password authentication failed for u: check PGPASSWORD or the postgres-app Secret"), List.of(1));
        assertThat(VerifyReport.verdict(checks)).isEqualTo("✗ PostgreSQL not ready: connect: password authentication"
                + " failed for u: check PGPASSWORD or the postgres-app Secret");
    }

    @Test
    @DisplayName("a missing grant shows on the migrations check, after the checks that passed")
    void missingGrant() {
        DbSnapshot s = new DbSnapshot(Snapshots.TARGET, new Problem(Problem.Kind.PERMISSION,
                "permission denied for view schema_migrations: grant it"), true, Set.copyOf(
                        io.learnflow.pgk8s.db.LearnFlowSchema.TABLES), new TreeSet<>());
        var checks = DatabaseChecks.evaluate(s, List.of(1));
        assertThat(VerifyReport.text(checks)).contains("✓ connect db:5432", "✓ database learnflow", "✓ tables 5/5")
                .endsWith("✗ PostgreSQL not ready: migrations: permission denied for view schema_migrations: grant it");
    }

    @Test
    @DisplayName("a server that is down fails first on connect, with the reason")
    void serverDown() {
        var checks = DatabaseChecks.evaluate(Snapshots.down(), List.of(1));
        assertThat(VerifyReport.text(checks)).isEqualTo("""
                ✗ connect connection refused at db:5432
                ✗ database not checked
                ✗ select 1 not checked
                ✗ tables not checked
                ✗ migrations not checked
                ✗ PostgreSQL not ready: connect: connection refused at db:5432""");
        assertThat(VerifyReport.json(checks)).startsWith("{\"healthy\":false,\"checks\":[{\"name\":\"connect\",\"status\":\"DOWN\"");
    }

    @Test
    @DisplayName("an empty database has no migrations applied")
    void nothingApplied() {
        assertThat(VerifyReport.text(DatabaseChecks.evaluate(Snapshots.emptyDatabase(), List.of(1))))
                .contains("✗ migrations 1 pending: 1");
    }

    static Stream<Arguments> schemaStates() {
        return Stream.of(
                Arguments.of("all applied", List.of(1, 2), Snapshots.migratedTo(1, 2)),
                Arguments.of("one pending", List.of(1, 2), Snapshots.migratedTo(1)),
                Arguments.of("a gap under an applied version", List.of(1, 2, 3, 4), Snapshots.migratedTo(1, 2, 4)),
                Arguments.of("ahead of the image", List.of(1, 2), Snapshots.migratedTo(1, 2, 3, 4)),
                Arguments.of("nothing applied", List.of(1), Snapshots.emptyDatabase()),
                Arguments.of("login refused", List.of(1), Snapshots.failed(Problem.Kind.LOGIN, "no")),
                Arguments.of("query failed", List.of(1), Snapshots.failed(Problem.Kind.QUERY, "no")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaStates")
    @DisplayName("wait and verify agree on migrated, by one rule")
    void waitAndVerifyAgree(String state, List<Integer> available, DbSnapshot snapshot) {
        int newest = available.get(available.size() - 1);
        assertThat(Readiness.evaluate(snapshot, available, newest).ready())
                .isEqualTo(DatabaseChecks.allUp(DatabaseChecks.evaluate(snapshot, available)));
    }
}
