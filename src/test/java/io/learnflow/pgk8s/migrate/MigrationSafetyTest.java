package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.MigrationDir;
import io.learnflow.pgk8s.testing.Sql;
import io.learnflow.pgk8s.testing.TestPostgres;

/**
 * What real users do to migrations (issues 6 and 11): image rollbacks, out-of-order and nested files, other
 * tools' objects, transaction control, failed non-transactional builds, session state. Against a real
 * PostgreSQL 16, as the non-superuser app role with a checked password.
 */
class MigrationSafetyTest {
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private final MigrationService service = new MigrationService();
    private final TestPostgres server = TestPostgres.shared();
    private ConnectionSettings db;
    @TempDir
    Path dir;

    @BeforeEach
    void freshDatabase() {
        db = server.newDatabase();
    }

    private MigrationOutcome migrate(MigrationDir migrations) {
        return service.migrate(db, MigrationSource.directory(migrations.path()), LOCK_WAIT);
    }

    private static void assertExit(Throwable e, int code) {
        assertThat(e).isInstanceOf(Pgk8sException.class);
        assertThat(((Pgk8sException) e).exitCode()).isEqualTo(code);
    }

    private int historyRows() {
        return Integer.parseInt(Sql.column(db, "SELECT count(*) FROM flyway_schema_history").get(0));
    }

    @Test
    @DisplayName("an image rollback (database at 4, files up to 2) is not drift: exit 0, ahead of this image's 2")
    void imageRollback() {
        MigrationDir newer = MigrationDir.empty(mkdir("newer"));
        for (int v = 1; v <= 4; v++) {
            newer.write(String.format("%03d_t%d.sql", v, v), "CREATE TABLE t" + v + " (id int);");
        }
        migrate(newer);
        MigrationDir older = MigrationDir.empty(mkdir("older")).write("001_t1.sql", "CREATE TABLE t1 (id int);")
                .write("002_t2.sql", "CREATE TABLE t2 (id int);");

        MigrationOutcome outcome = migrate(older);

        assertThat(outcome.summary()).isEqualTo("database at 4, ahead of this image's 2");
        assertThat(outcome.applied()).isZero();
    }

    @Test
    @DisplayName("a file numbered below the applied version is refused with exit 2 and the number to use")
    void outOfOrder() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_a.sql", "CREATE TABLE a (id int);")
                .write("003_c.sql", "CREATE TABLE c (id int);");
        migrate(migrations);
        migrations.write("002_x.sql", "CREATE TABLE x (id int);");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessage("migration 002_x.sql is older than the applied version 3: renumber it above 3,"
                        + " e.g. 004_x.sql");
        assertThat(Sql.tables(db)).doesNotContain("x");
    }

    @Test
    @DisplayName("a subdirectory holding .sql files is refused and nothing in it runs")
    void subdirectory() throws Exception {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_a.sql", "CREATE TABLE a (id int);");
        Files.createDirectories(dir.resolve("archive"));
        Files.writeString(dir.resolve("archive/002_x.sql"), "CREATE TABLE x (id int);");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessage("subdirectory archive/ of " + dir + " holds archive/002_x.sql: only the top level"
                        + " counts; move its files up, renumbered, or out of " + dir);
        assertThat(Sql.tables(db)).isEmpty();
    }

    @Test
    @DisplayName("a symbolic link to a directory of .sql files is a subdirectory too: refused, nothing runs")
    void symlinkedSubdirectory() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("002_x.sql"), "CREATE TABLE x (id int);");
        MigrationDir migrations = MigrationDir.empty(mkdir("migrations")).write("001_a.sql", "CREATE TABLE a (id int);");
        Files.createSymbolicLink(migrations.path().resolve("archive"), elsewhere);

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessageStartingWith("subdirectory archive/ of " + migrations.path() + " holds archive/002_x.sql");
        assertThat(Sql.tables(db)).isEmpty();
    }

    @Test
    @DisplayName("every file is applied or refused by name: a stray file, a version too long for INTEGER")
    void everyFileAppliesOrIsRefused() {
        MigrationDir stray = MigrationDir.empty(mkdir("stray")).write("001_a.sql", "SELECT 1;").write("notes.txt", "x")
                .write(".gitkeep", "");
        assertThatThrownBy(() -> migrate(stray)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessageStartingWith("bad migration file name 'notes.txt' in " + stray.path()
                        + ": it is not a migration");

        MigrationDir huge = MigrationDir.empty(mkdir("huge")).write("001_a.sql", "SELECT 1;")
                .write("20240101120000_b.sql", "SELECT 2;");
        assertThatThrownBy(() -> migrate(huge)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessage("bad migration file name '20240101120000_b.sql' in " + huge.path() + ": version"
                        + " 20240101120000 is longer than schema_migrations.version (INTEGER) allows, at most"
                        + " 2147483647; renumber it");
        assertThat(Sql.tables(db)).isEmpty();
    }

    @Test
    @DisplayName("a file that is not UTF-8 is refused with exit 2, naming the file and the byte")
    void notUtf8() throws Exception {
        MigrationDir migrations = MigrationDir.empty(dir);
        Files.write(dir.resolve("001_latin1.sql"), "-- caf\u00e9\nCREATE TABLE a (id int);".getBytes("ISO-8859-1"));

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessage("migration 001_latin1.sql is not valid UTF-8 at byte offset 6: save it as UTF-8 and run migrate"
                        + " again");
        assertThat(Sql.tables(db)).isEmpty();
    }

    @Test
    @DisplayName("a schema of someone else's tables is not baselined unless --baseline is given")
    void baselineOnlyWhatWeKnow() {
        TestPostgres.execute(db, "CREATE TABLE orders (id int); CREATE TABLE customers (id int)");
        MigrationDir migrations = MigrationDir.withProjectMigrations(dir);

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessage("database " + db.database() + " has no migration history and holds tables that are not"
                        + " the LearnFlow schema (customers, orders): point --database at the LearnFlow database, or"
                        + " pass --baseline to adopt them at version 0");
        assertThat(Sql.tables(db)).containsExactly("customers", "orders");

        MigrationOutcome adopted = service.migrate(db, MigrationSource.directory(migrations.path()), LOCK_WAIT, true);
        assertThat(adopted.toVersion()).isEqualTo(1);
        assertThat(Sql.tables(db)).contains("customers", "users");
    }

    @Test
    @DisplayName("a schema without tables but with someone's objects is not baselined either")
    void baselineNoTables() {
        TestPostgres.execute(db, "CREATE FUNCTION theirs() RETURNS int LANGUAGE sql AS 'SELECT 1'");

        assertThatThrownBy(() -> migrate(MigrationDir.withProjectMigrations(dir)))
                .satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessage("database " + db.database() + " has no migration history and holds objects other than"
                        + " tables: point --database at the LearnFlow database, or pass --baseline to adopt them at"
                        + " version 0");
        assertThat(Sql.tables(db)).isEmpty();
    }

    @Test
    @DisplayName("another tool's schema_migrations table stops migrate with exit 2 before anything changes")
    void foreignSchemaMigrations() {
        TestPostgres.execute(db, "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)");

        assertThatThrownBy(() -> migrate(MigrationDir.withProjectMigrations(dir)))
                .satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessageStartingWith("schema_migrations in " + db.database() + " is a table that pgk8s did not make");
        assertThat(Sql.tables(db)).containsExactly("schema_migrations");
    }

    @Test
    @DisplayName("another Flyway project's history stops migrate with exit 2 before anything changes")
    void foreignFlywayHistory() {
        MigrationDir theirs = MigrationDir.empty(mkdir("theirs")).write("001_a.sql", "CREATE TABLE a (id int);");
        migrate(theirs);
        TestPostgres.execute(db, "UPDATE flyway_schema_history SET version = '1.1', script = 'V1_1__init.sql'"
                + " WHERE version = '001'");

        assertThatThrownBy(() -> migrate(MigrationDir.withProjectMigrations(mkdir("ours"))))
                .satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessageStartingWith("flyway_schema_history in " + db.database()
                        + " records migrations that pgk8s did not make (V1_1__init.sql)");
        assertThat(Sql.tables(db)).doesNotContain("users");
    }

    @Test
    @DisplayName("END inside a transactional migration is refused before anything runs: no row sneaks in")
    void transactionControl() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_events.sql", "CREATE TABLE events (id int);");
        migrate(migrations);
        migrations.write("002_seed.sql", "DO $$ BEGIN INSERT INTO events VALUES (1); END; $$;\nEND; $$;\n");

        for (int run = 0; run < 2; run++) {
            assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                    .hasMessage("migration 002_seed.sql line 2: END controls the transaction that pgk8s runs the"
                            + " migration in; remove it (END is COMMIT in PostgreSQL), or add 002_seed.sql.conf"
                            + " containing executeInTransaction=false");
        }
        assertThat(Sql.column(db, "SELECT count(*) FROM events")).containsExactly("0");
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
    }

    @Test
    @DisplayName("a COMMIT behind a nested comment is still found: PostgreSQL's comments nest")
    void commitBehindNestedComment() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_events.sql", "CREATE TABLE events (id int);");
        migrate(migrations);
        migrations.write("002_x.sql", "INSERT INTO events VALUES (1);\n/* a /* b */ c */ COMMIT;\nSELECT 1/0;\n");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.USAGE))
                .hasMessageStartingWith("migration 002_x.sql line 2: COMMIT controls the transaction");
        assertThat(Sql.column(db, "SELECT count(*) FROM events")).containsExactly("0");
    }

    @Test
    @DisplayName("BEGIN, END and COMMIT inside bodies are not transaction control: DO blocks, BEGIN ATOMIC")
    void bodiesAreNotTransactionControl() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_bodies.sql", """
                CREATE TABLE events (id int);
                -- END; in a comment
                DO $$ BEGIN INSERT INTO events VALUES (1); END; $$;
                CREATE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 2; END;
                SAVEPOINT s1;
                ROLLBACK TO SAVEPOINT s1;
                SAVEPOINT s2;
                ROLLBACK WORK TO SAVEPOINT s2;
                INSERT INTO events VALUES (two());
                """);

        assertThat(migrate(migrations).applied()).isEqualTo(1);
        assertThat(Sql.column(db, "SELECT count(*) FROM events")).containsExactly("2");
    }

    @Test
    @DisplayName("a failed CREATE UNIQUE INDEX CONCURRENTLY leaves no INVALID index nor failed row; fixed data applies")
    void failedConcurrentIndexIsCleanedUp() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_accounts.sql",
                "CREATE TABLE accounts (id int, email text);\nINSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x');");
        migrate(migrations);
        migrations.write("002_unique_email.sql",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_key ON accounts (email);");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.FAILED))
                .hasMessageStartingWith("migration 002_unique_email.sql failed at line 1: ERROR: could not create"
                        + " unique index \"accounts_email_key\"")
                .hasMessageContaining("(Detail: Key (email)=(a@x) is duplicated.)")
                .hasMessageContaining("it ran outside a transaction, so it was not rolled back: pgk8s removed the"
                        + " INVALID index public.accounts_email_key it left and its failed history row")
                .message().doesNotContain("rolled back, fix the file");
        assertThat(Sql.column(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("0");
        assertThat(Sql.column(db, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).containsExactly("0");

        TestPostgres.execute(db, "DELETE FROM accounts WHERE id = 2");
        assertThat(migrate(migrations).toVersion()).isEqualTo(2);
        assertThat(Sql.column(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_email_key'::regclass"))
                .containsExactly("t");
    }

    @Test
    @DisplayName("a failed build without IF NOT EXISTS over an INVALID leftover prints the DROP INDEX to run")
    void invalidLeftoverInTheWay() {
        MigrationDir migrations = accountsWithAnInvalidLeftover();
        migrations.write("002_unique_email.sql",
                "CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.FAILED))
                .hasMessageContaining("already exists")
                .hasMessageEndingWith("an INVALID index from an earlier failed build is in its way: run DROP INDEX"
                        + " CONCURRENTLY IF EXISTS public.accounts_email_key; then migrate again");
        assertThat(Sql.column(db, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).containsExactly("0");
    }

    @Test
    @DisplayName("a non-transactional migration's SET reaches neither its failed history row nor the error")
    void sessionStateOnTheErrorPath() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_a.sql", "CREATE TABLE a (id int);")
                .write("002_ro.sql", "SET default_transaction_read_only = on;\nSELECT 1/0;\n")
                .write("002_ro.sql.conf", "executeInTransaction=false\n");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.FAILED))
                .hasMessageStartingWith("migration 002_ro.sql failed at line 2: ERROR: division by zero;"
                        + " it ran outside a transaction, so it was not rolled back:");
        assertThat(Sql.appliedVersions(db)).containsExactly(1);
    }

    @Test
    @DisplayName("an INVALID index that IF NOT EXISTS skips is never recorded as applied; the fix is printed")
    void invalidIndexIsNeverRecorded() {
        MigrationDir migrations = accountsWithAnInvalidLeftover();
        migrations.write("002_unique_email.sql",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_key ON accounts (email);");

        assertThatThrownBy(() -> migrate(migrations)).satisfies(e -> assertExit(e, ExitCodes.FAILED))
                .hasMessage("migration 002_unique_email.sql did not build public.accounts_email_key: an earlier failed"
                        + " build left it INVALID and IF NOT EXISTS skipped it; it was not recorded. Run DROP INDEX"
                        + " CONCURRENTLY IF EXISTS public.accounts_email_key; then migrate again");
        assertThat(Sql.appliedVersions(db)).containsExactly(1);

        TestPostgres.execute(db, "DROP INDEX CONCURRENTLY IF EXISTS public.accounts_email_key");
        assertThat(migrate(migrations).toVersion()).isEqualTo(2);
    }

    @Test
    @DisplayName("a migration's SET ROLE, search_path and timeouts reach neither the bookkeeping nor the next file")
    void sessionStateDoesNotLeak() {
        String role = "no_create_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestPostgres.execute(server.admin(db), "CREATE ROLE " + role + " NOLOGIN;"
                + " REVOKE CREATE ON SCHEMA public FROM " + role + "; GRANT " + role + " TO " + TestPostgres.APP_USER);
        MigrationDir migrations = MigrationDir.empty(dir)
                .write("001_admin.sql", "CREATE TABLE made_by_admin (id int);\nSET ROLE " + role + ";\n"
                        + "SET search_path = pg_catalog;\nSET statement_timeout = '1ms';\nSET lock_timeout = '1ms';\n")
                .write("002_second.sql", "CREATE TABLE second_table (id int);\nSELECT pg_sleep(0.05);\n");

        MigrationOutcome outcome = migrate(migrations);

        assertThat(outcome.applied()).isEqualTo(2);
        assertThat(Sql.tables(db)).contains("made_by_admin", "second_table");
        assertThat(Sql.column(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'second_table'"))
                .containsExactly(TestPostgres.APP_USER);
        assertThat(Sql.appliedVersions(db)).containsExactly(1, 2);
    }

    /** Migrated accounts, and the INVALID index that someone's failed build outside pgk8s left; data fixed since. */
    private MigrationDir accountsWithAnInvalidLeftover() {
        MigrationDir migrations = MigrationDir.empty(dir).write("001_accounts.sql",
                "CREATE TABLE accounts (id int, email text);\nINSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x');");
        migrate(migrations);
        assertThatThrownBy(() -> TestPostgres.execute(db,
                "CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email)"))
                .hasMessageContaining("could not create unique index");
        TestPostgres.execute(db, "DELETE FROM accounts WHERE id = 2");
        return migrations;
    }

    private Path mkdir(String name) {
        Path path = dir.resolve(name);
        path.toFile().mkdirs();
        return path;
    }
}
