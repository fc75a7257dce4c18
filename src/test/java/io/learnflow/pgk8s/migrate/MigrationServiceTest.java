package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.LearnFlowSchema;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;

/** Flyway against a real PostgreSQL 16, through the service the migrate command calls. */
class MigrationServiceTest {
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private final MigrationService service = new MigrationService();
    private ConnectionSettings db;
    @TempDir
    Path dir;

    @BeforeEach
    void freshDatabase() {
        db = TestPostgres.shared().newDatabase();
    }

    private MigrationOutcome migrate(MigrationDir migrations) {
        return service.migrate(db, MigrationSource.directory(migrations.path()), LOCK_WAIT);
    }

    @Test
    @DisplayName("the initial migration creates the spec's five tables, their foreign keys and the three indexes")
    void initialSchema() {
        MigrationOutcome outcome = migrate(MigrationDir.withProjectMigrations(dir));

        assertThat(outcome.summary()).startsWith("applied ").endsWith("now at version " + outcome.toVersion());
        assertThat(Sql.tables(db)).containsAll(LearnFlowSchema.TABLES);
        assertThat(Sql.column(db, "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_%' ORDER BY 1"))
                .containsExactly("idx_executions_user", "idx_progress_user", "idx_struggles_user");
        assertThat(Sql.column(db, "SELECT conrelid::regclass || '->' || confrelid::regclass FROM pg_constraint"
                + " WHERE contype = 'f' ORDER BY 1")).containsExactly("code_executions->exercises",
                        "code_executions->users", "learning_progress->users", "struggles->users");
    }

    @Test
    @DisplayName("the initial migration is idempotent: it applies over a database that already has the schema")
    void initialSchemaIsIdempotent() throws Exception {
        String initial = java.nio.file.Files.readString(MigrationDir.PROJECT_MIGRATIONS.resolve("001_initial_schema.sql"));
        TestPostgres.execute(db, initial);

        migrate(MigrationDir.withProjectMigrations(dir));

        assertThat(Sql.appliedVersions(db)).contains(1);
    }

    @Test
    @DisplayName("a new migration 002_test.sql creates its table and is recorded in schema_migrations")
    void secondMigration() {
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir);
        migrate(migrations);
        migrations.write("002_test.sql", "CREATE TABLE test_migration (id SERIAL);");

        MigrationOutcome outcome = migrate(migrations);

        assertThat(outcome).isEqualTo(new MigrationOutcome(1, 2, 1, 2));
        assertThat(Sql.tables(db)).contains("test_migration");
        assertThat(Sql.appliedVersions(db)).containsExactly(1, 2);
    }

    @Test
    @DisplayName("schema_migrations keeps the spec's contract: version INTEGER, applied_at TIMESTAMP")
    void schemaMigrationsContract() {
        migrate(MigrationDir.withProjectMigrations(dir));
        assertThat(Sql.column(db, "SELECT column_name || ' ' || data_type FROM information_schema.columns"
                + " WHERE table_name = 'schema_migrations' ORDER BY ordinal_position"))
                .containsExactly("version integer", "applied_at timestamp without time zone");
    }

    @Test
    @DisplayName("a run with nothing to apply restores a missing schema_migrations view")
    void restoresTheView() {
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir);
        migrate(migrations);
        TestPostgres.execute(db, "DROP VIEW schema_migrations");

        assertThat(migrate(migrations).applied()).isZero();
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
    }

    @Test
    @DisplayName("re-running with everything applied changes nothing and says up to date")
    void upToDate() {
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir).write("002_test.sql", "SELECT 1;");
        migrate(migrations);

        MigrationOutcome again = migrate(migrations);

        assertThat(again.summary()).isEqualTo("up to date at version 2");
        assertThat(Sql.column(db, "SELECT count(*) FROM flyway_schema_history")).containsExactly("2");
    }

    @Test
    @DisplayName("when migration 3 of 5 fails, 1 and 2 stay applied, 3 leaves nothing, and a fixed file completes the run")
    void failingMigrationRollsBackAlone() {
        MigrationDir migrations = MigrationDir.empty(dir)
                .write("001_one.sql", "CREATE TABLE one (id int);")
                .write("002_two.sql", "CREATE TABLE two (id int);")
                .write("003_three.sql", "CREATE TABLE three (id int);\nINSERT INTO nope VALUES (1);\n")
                .write("004_four.sql", "CREATE TABLE four (id int);")
                .write("005_five.sql", "CREATE TABLE five (id int);");

        assertThatThrownBy(() -> migrate(migrations))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("migration 003_three.sql failed at line 2: ERROR: relation \"nope\" does not exist;"
                        + " it was rolled back, fix the file and run migrate again");
        assertThat(Sql.appliedVersions(db)).containsExactly(1, 2);
        assertThat(Sql.tables(db)).contains("one", "two").doesNotContain("three", "four", "five");
        assertThat(Sql.column(db, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).containsExactly("0");

        migrations.write("003_three.sql", "CREATE TABLE three (id int);\n");
        assertThat(migrate(migrations)).isEqualTo(new MigrationOutcome(2, 5, 3, 5));
        assertThat(Sql.tables(db)).contains("one", "two", "three", "four", "five");
    }

    @Test
    @DisplayName("an applied file that was edited is reported as drift, and nothing else is applied")
    void drift() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_one.sql", "CREATE TABLE one (id int);");
        migrate(migrations);
        migrations.write("001_one.sql", "CREATE TABLE one (id bigint);")
                .write("002_two.sql", "CREATE TABLE two (id int);");

        assertThatThrownBy(() -> migrate(migrations))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("drift: 001_one.sql was edited after it was applied;"
                        + " restore the applied version and put the change in a new migration");
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
        assertThat(Sql.tables(db)).doesNotContain("two");
    }

    @Test
    @DisplayName("an applied migration whose file was removed, below the newest file, is reported as drift")
    void missingAppliedFile() throws Exception {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_one.sql", "SELECT 1;").write("002_two.sql", "SELECT 2;")
                .write("003_three.sql", "SELECT 3;");
        migrate(migrations);
        java.nio.file.Files.delete(dir.resolve("002_two.sql"));

        assertThatThrownBy(() -> migrate(migrations)).isInstanceOf(Pgk8sException.class)
                .hasMessage("drift: migration 002 was applied but is missing from " + dir + "; restore its file");
    }

    @Test
    @DisplayName("bad input is rejected before anything runs: the database stays untouched")
    void badInputChangesNothing() {
        Map<MigrationDir, String> bad = Map.of(
                MigrationDir.empty(dir.resolve("missing")),
                "migrations directory " + dir.resolve("missing") + " does not exist:"
                        + " pass --migrations DIR with NNN_description.sql files",
                MigrationDir.empty(mkdir("empty")),
                "no migrations in " + dir.resolve("empty") + ": add files named NNN_description.sql",
                MigrationDir.empty(mkdir("badname")).write("001_ok.sql", "CREATE TABLE a (id int);")
                        .write("two.sql", "CREATE TABLE b (id int);"),
                "bad migration file name 'two.sql' in " + dir.resolve("badname")
                        + ": it does not start with a version number: rename it to NNN_description.sql,"
                        + " e.g. 002_add_index.sql",
                MigrationDir.empty(mkdir("dup")).write("001_a.sql", "CREATE TABLE a (id int);")
                        .write("1_b.sql", "CREATE TABLE b (id int);"),
                "duplicate migration version 1 in " + dir.resolve("dup") + ": 001_a.sql and 1_b.sql,"
                        + " give each file its own number");
        bad.forEach((migrations, message) -> assertThatThrownBy(() -> migrate(migrations))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage(message));
        assertThat(Sql.column(db, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                .containsExactly("0");
    }

    @Test
    @DisplayName("a migration mixing CREATE INDEX CONCURRENTLY with other statements is refused, and runs when its"
            + " .sql.conf says so")
    @Timeout(60) // CREATE INDEX CONCURRENTLY waits for other transactions, Flyway's lock among them once
    void nonTransactionalMigration() {
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir).write("002_concurrent_index.sql",
                "ALTER TABLE users ADD COLUMN IF NOT EXISTS locale TEXT;\n"
                        + "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_locale ON users(locale);\n");

        assertThatThrownBy(() -> migrate(migrations))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("migration 002_concurrent_index.sql line 2 cannot run in a transaction but the rest of the"
                        + " file does; add 002_concurrent_index.sql.conf containing executeInTransaction=false,"
                        + " or move it to a migration of its own");
        assertThat(Sql.tables(db)).as("refused before anything runs").isEmpty();

        migrations.write("002_concurrent_index.sql.conf", "executeInTransaction=false\n");
        assertThat(migrate(migrations).toVersion()).isEqualTo(2);
        assertThat(Sql.column(db, "SELECT indexname FROM pg_indexes WHERE indexname = 'idx_users_locale'")).hasSize(1);
    }

    @Test
    @DisplayName("a migrator that cannot get the lock within --lock-wait gives up with exit 1 and changes nothing")
    void lockWait() throws Exception {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_slow.sql", "SELECT pg_sleep(5);");
        CompletableFuture<MigrationOutcome> holder = CompletableFuture.supplyAsync(() -> migrate(migrations));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Sql.column(db,
                "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(5)%'").isEmpty());

        assertThatThrownBy(() -> service.migrate(db, MigrationSource.directory(migrations.path()), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("another migrator held the migration lock for over 1s; run again or raise --lock-wait");
        assertThat(holder.get().applied()).isEqualTo(1);
        assertThat(Sql.column(db, "SELECT count(*) FROM flyway_schema_history WHERE version = '001'")).containsExactly("1");
    }

    @Test
    @DisplayName("a first run waits for another migrator before it creates or baselines Flyway's history table")
    void firstRunsDoNotRaceOnTheHistoryTable() throws Exception {
        MigrationOutcome outcome;
        try (MigratorLock other = MigratorLock.acquire(db.withConnectTimeout(5), LOCK_WAIT)) {
            CompletableFuture<MigrationOutcome> waiting = CompletableFuture.supplyAsync(
                    () -> migrate(MigrationDir.withProjectMigrations(dir)));
            await().atMost(Duration.ofSeconds(10)).until(() -> Sql.column(db,
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").equals(List.of("1")));

            assertThat(Sql.column(db, "SELECT to_regclass('flyway_schema_history') IS NULL")).containsExactly("t");
            assertThat(waiting).isNotDone();
            other.close();
            outcome = waiting.get();
        }
        assertThat(outcome.applied()).isEqualTo(1);
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
    }

    @Test
    @DisplayName("an unreachable database is one clear failure")
    void unreachable() {
        ConnectionSettings nowhere = new ConnectionSettings("127.0.0.1", 1, "learnflow", "u", "p");
        assertThatThrownBy(() -> service.migrate(nowhere, MigrationSource.directory(MigrationDir.PROJECT_MIGRATIONS), LOCK_WAIT))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("cannot migrate learnflow at 127.0.0.1:1: connection refused at 127.0.0.1:1");
    }

    private Path mkdir(String name) {
        Path path = dir.resolve(name);
        path.toFile().mkdirs();
        return path;
    }
}
