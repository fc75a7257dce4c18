package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;

class ConcurrentMigratorsIT {
    private static final Pattern APPLIED = Pattern.compile("applied (\\d+) migrations?");

    @TempDir
    Path dir;
    private List<Pgk8sProcess> migrators = List.of();

    @AfterEach
    void stopMigrators() {
        migrators.forEach(Pgk8sProcess::close);
    }

    @Test
    @DisplayName("ten migrators started at once all exit 0 and apply every migration exactly once")
    void tenMigratorsApplyEachMigrationOnce() {
        ConnectionSettings db = TestPostgres.shared().newDatabase();
        // None of these can run twice: a second CREATE TABLE or ADD COLUMN fails, a second INSERT shows in the log.
        MigrationDir.withProjectMigrations(dir)
                .write("002_applied_log.sql", "CREATE TABLE applied_log (version INTEGER NOT NULL);")
                .write("003_slow.sql", "SELECT pg_sleep(0.5);\nINSERT INTO applied_log VALUES (3);")
                .write("004_badges.sql", "CREATE TABLE badges (id SERIAL PRIMARY KEY);\n"
                        + "INSERT INTO applied_log VALUES (4);")
                .write("005_nickname.sql", "ALTER TABLE users ADD COLUMN nickname TEXT;\n"
                        + "INSERT INTO applied_log VALUES (5);");

        migrators = IntStream.range(0, 10)
                .mapToObj(i -> Pgk8sProcess.start("migrate", db, "--migrations", dir.toString()))
                .toList();

        int appliedByAll = 0;
        for (Pgk8sProcess migrator : migrators) {
            assertThat(migrator.exitCode(Duration.ofSeconds(120))).as(migrator.stderr()).isZero();
            assertThat(migrator.stdout()).as("each run ends at the newest version").contains("at version 5");
            appliedByAll += appliedCount(migrator.stdout());
        }
        assertThat(appliedByAll).as("migrations applied, summed over all ten runs").isEqualTo(5);
        assertThat(Sql.column(db, "SELECT version::integer || ' x' || count(*) FROM flyway_schema_history"
                + " WHERE version IS NOT NULL GROUP BY version ORDER BY version::integer"))
                .containsExactly("1 x1", "2 x1", "3 x1", "4 x1", "5 x1");
        assertThat(Sql.column(db, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).containsExactly("0");
        assertThat(Sql.appliedVersions(db)).containsExactly(1, 2, 3, 4, 5);
        assertThat(Sql.column(db, "SELECT version FROM applied_log ORDER BY version")).containsExactly("3", "4", "5");
    }

    private static int appliedCount(String stdout) {
        Matcher m = APPLIED.matcher(stdout);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
