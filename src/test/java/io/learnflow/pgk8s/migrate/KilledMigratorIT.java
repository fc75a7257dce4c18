package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;

class KilledMigratorIT {
    private static final String SLOW = "CREATE TABLE half_done (id INTEGER);\nSELECT pg_sleep(60);\n";

    @TempDir
    Path dir;
    private Pgk8sProcess migrator;

    @AfterEach
    void stopMigrator() {
        if (migrator != null) {
            migrator.close();
        }
    }

    @Test
    @DisplayName("a migrator killed with SIGKILL mid-migration leaves no lock and no trace, and the next run succeeds")
    void killedMigratorLeavesNoLockBehind() {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir).write("002_slow.sql", SLOW);
        migrator = Pgk8sProcess.start("migrate", db, "--migrations", dir.toString());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(sleepingBackends(db)).as(migrator.stderr()).isEqualTo("1"));

        migrator.kill();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(sleepingBackends(db)).isEqualTo("0");
            assertThat(Sql.column(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
                    .containsExactly("0");
        });
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
        assertThat(Sql.tables(db)).doesNotContain("half_done");

        migrations.write("002_slow.sql", "CREATE TABLE half_done (id INTEGER);\n");
        Pgk8sProcess rerun = Pgk8sProcess.run(Duration.ofSeconds(60), "migrate", db, "--migrations", dir.toString(),
                "--lock-wait", "5");
        assertThat(rerun.exitCode(Duration.ZERO)).as(rerun.stderr()).isZero();
        assertThat(rerun.stdout()).contains("applied 1 migration, now at version 2");
        assertThat(Sql.tables(db)).contains("half_done");
    }

    /** Backends of this database still running the slow migration, not counting the one asking. */
    private static String sleepingBackends(ConnectionSettings db) {
        return Sql.column(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(60)%'").get(0);
    }
}
