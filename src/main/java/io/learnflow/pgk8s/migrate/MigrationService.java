package io.learnflow.pgk8s.migrate;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.info.MigrationInfoImpl;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.DbErrors;
import jakarta.inject.Singleton;

/**
 * Applies migrations with Flyway: one transaction each, one migrator at a time (PostgreSQL advisory locks).
 * Everything that can be refused is refused before anything changes (exit 2); a failure says what it left.
 */
@Singleton
public class MigrationService {
    public static final int DEFAULT_LOCK_WAIT_SECONDS = 60;
    /**
     * migrate is a batch job, often one of many starting at once: unless PGCONNECT_TIMEOUT or --connect-timeout
     * says otherwise it waits this long to log in, not the 2 s that suits a health probe.
     */
    static final int DEFAULT_LOGIN_TIMEOUT_SECONDS = 10;
    /** A migrator killed mid-statement must not leave its backend (and the lock) running. */
    static final String CONNECTION_CHECK = "SET client_connection_check_interval = '1s'";
    private static final String MIXED_TRANSACTIONALITY = "transactional and non-transactional statements";
    private static final String NON_EMPTY_WITHOUT_HISTORY = "but no schema history table";
    private static final Pattern AT_LINE = Pattern.compile("at line (\\d+)");

    public MigrationOutcome migrate(ConnectionSettings settings, MigrationSource source, Duration lockWait) {
        return migrate(settings, source, lockWait, false);
    }

    /** @param baseline adopt a schema without history that is not the LearnFlow schema, at version 0 */
    public MigrationOutcome migrate(ConnectionSettings target, MigrationSource source, Duration lockWait,
            boolean baseline) {
        ConnectionSettings settings = target.connectTimeoutSeconds() == ConnectionSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS
                ? target.withConnectTimeout(DEFAULT_LOGIN_TIMEOUT_SECONDS) : target;
        List<MigrationFile> files = source.files(); // names, duplicates, subdirectories, empty or missing
        Map<String, String> texts = texts(source, files);
        try (MigratorLock lock = lock(settings, lockWait)) {
            Preflight before = Preflight.inspect(lock.session());
            before.refuseForeignObjects(settings.database());
            boolean mayBaseline = before.mayBaseline(baseline, settings.database());
            FluentConfiguration configuration = configuration(settings, source, lockWait).baselineOnMigrate(mayBaseline);
            Flyway flyway = configuration.load();
            failOnDrift(flyway, source);
            MigrationInfo[] pending = refuseOutOfOrder(flyway);
            Map<String, String> nonTransactional = checkPending(pending, texts, source, flyway);
            configuration.callbacks(new MigrationBookkeeping(before.invalidIndexes(), nonTransactional));
            flyway = configuration.load();
            try {
                MigrateResult result = flyway.migrate();
                int from = version(result.initialSchemaVersion);
                int to = result.targetSchemaVersion == null ? from : version(result.targetSchemaVersion);
                return new MigrationOutcome(from, to, result.migrationsExecuted, files.get(files.size() - 1).version());
            } catch (FlywayMigrateException e) {
                throw migrationFailed(e, lock, before, nonTransactional);
            } catch (FlywayException e) {
                Optional<InvalidIndexException> invalid = cause(e, InvalidIndexException.class);
                if (invalid.isPresent()) {
                    throw Pgk8sException.failed(Leftovers.afterInvalidIndexes(lock.session(), invalid.get()));
                }
                throw e;
            }
        } catch (SQLException e) {
            throw cannotConnect(e, settings);
        } catch (FlywayException e) {
            if (String.valueOf(e.getMessage()).contains(NON_EMPTY_WITHOUT_HISTORY)) {
                throw Pgk8sException.badInput("database " + settings.database() + " has no migration history and"
                        + " holds objects other than tables: point --database at the LearnFlow database, or pass"
                        + " --baseline to adopt them at version 0");
            }
            throw failure(e, settings, lockWait);
        }
    }

    private static MigratorLock lock(ConnectionSettings settings, Duration lockWait) {
        try {
            return MigratorLock.acquire(settings, lockWait);
        } catch (SQLException e) {
            throw MigratorLock.LOCK_NOT_AVAILABLE.equals(e.getSQLState())
                    ? lockHeld(e, lockWait)
                    : cannotConnect(e, settings);
        }
    }

    FluentConfiguration configuration(ConnectionSettings settings, MigrationSource source, Duration lockWait) {
        FluentConfiguration configuration = Flyway.configure(MigrationService.class.getClassLoader())
                .dataSource(Database.dataSource(settings))
                .lockRetryCount((int) Math.max(0, lockWait.toSeconds()))
                .initSql(CONNECTION_CHECK)
                .failOnMissingLocations(true);
        FlywayConventions.apply(configuration);
        source.configure(configuration);
        return configuration;
    }

    /** Every file's text, read once; a file that is not UTF-8 is refused before anything runs. */
    private static Map<String, String> texts(MigrationSource source, List<MigrationFile> files) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (MigrationFile file : files) {
            byte[] bytes = source.read(file.fileName()).orElseThrow();
            texts.put(file.fileName(), ScriptChecks.decode(file.fileName(), bytes));
        }
        return texts;
    }

    /** Refuses pending files that hold transaction control; returns the text of those that run outside one. */
    private static Map<String, String> checkPending(MigrationInfo[] pending, Map<String, String> texts,
            MigrationSource source, Flyway flyway) {
        Map<String, String> nonTransactional = new LinkedHashMap<>();
        for (MigrationInfo migration : pending) {
            String script = fileName(migration.getScript());
            String text = texts.get(script);
            if (text == null) {
                // Flyway found it where pgk8s's checks did not look, e.g. through a symbolic link.
                throw Pgk8sException.badInput("migration " + migration.getScript() + " is not at the top level of "
                        + source.describe() + ": move it there, renumbered, or out of the migrations");
            }
            if (transactional((MigrationInfoImpl) migration, script)) {
                ScriptChecks.refuseTransactionControl(script, text, flyway.getConfiguration());
            } else {
                nonTransactional.put(script, text);
            }
        }
        return nonTransactional;
    }

    private static void failOnDrift(Flyway flyway, MigrationSource source) {
        Flyway validator = Flyway.configure(MigrationService.class.getClassLoader())
                .configuration(flyway.getConfiguration())
                // Pending files are migrate's job; applied versions above the newest file are an image rollback.
                .ignoreMigrationPatterns("*:pending", "*:future", "*:ignored")
                .load();
        for (ValidateOutput invalid : validator.validateWithResult().invalidMigrations) {
            String file = fileName(invalid);
            if (invalid.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH) {
                throw Pgk8sException.failed("drift: " + file + " was edited after it was applied; "
                        + "restore the applied version and put the change in a new migration");
            }
            if (invalid.errorDetails.errorCode == CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED
                    || invalid.errorDetails.errorCode == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED) {
                throw Pgk8sException.failed("drift: migration " + invalid.version + " was applied but is missing from "
                        + source.describe() + "; restore its file");
            }
            throw Pgk8sException.failed("migration " + file + " does not match the database: "
                    + oneLine(invalid.errorDetails.errorMessage));
        }
    }

    /** A file numbered below the applied version would never run (Flyway ignores it): refused, not drift. */
    private static MigrationInfo[] refuseOutOfOrder(Flyway flyway) {
        MigrationInfo[] all = flyway.info().all();
        int applied = Arrays.stream(all).filter(m -> m.getState().isApplied() && m.getVersion() != null)
                .mapToInt(m -> version(m.getVersion().getVersion())).max().orElse(0);
        int newest = Arrays.stream(all).filter(m -> m.getVersion() != null)
                .mapToInt(m -> version(m.getVersion().getVersion())).max().orElse(0);
        for (MigrationInfo migration : all) {
            if (migration.getState() == MigrationState.IGNORED) {
                String script = fileName(migration.getScript());
                throw Pgk8sException.badInput("migration " + script + " is older than the applied version " + applied
                        + ": renumber it above " + applied + ", e.g. " + String.format("%03d", newest + 1)
                        + script.substring(script.indexOf('_')));
            }
        }
        return flyway.info().pending();
    }

    private static String fileName(ValidateOutput invalid) {
        return fileName(invalid.filepath == null || invalid.filepath.isBlank() ? invalid.description : invalid.filepath);
    }

    /** Flyway names bundled scripts by their path in the location, e.g. db/migration/001_x.sql. */
    static String fileName(String script) {
        return script.substring(script.lastIndexOf('/') + 1);
    }

    /**
     * A transactional migration was rolled back. One that ran outside a transaction was not: its earlier
     * statements stay, and pgk8s removes what its failing statement left ({@link Leftovers}) so that a fixed
     * cause plus a plain {@code migrate} applies it.
     */
    private static Pgk8sException migrationFailed(FlywayMigrateException e, MigratorLock lock, Preflight before,
            Map<String, String> nonTransactional) {
        String fileName = e.getMigration() == null ? "a migration" : fileName(e.getMigration().getScript());
        String reason = DbErrors.firstLine(e.getMessage());
        int line = e.getLineNumber();
        if (e.getCause() instanceof FlywaySqlScriptException sqlError) {
            line = sqlError.getLineNumber();
            Throwable sql = sqlError.getCause() != null ? sqlError.getCause() : sqlError;
            reason = DbErrors.withDetail(sql.getMessage());
        }
        String failed = "migration " + fileName + " failed" + (line > 0 ? " at line " + line : "") + ": " + reason;
        if (!nonTransactional.containsKey(fileName)) {
            return new Pgk8sException(ExitCodes.FAILED, failed + "; it was rolled back, fix the file and run migrate"
                    + " again", e);
        }
        String earlier = line > 1 ? " statements before line " + line + " stay applied;" : "";
        return new Pgk8sException(ExitCodes.FAILED, failed + "; it ran outside a transaction, so it was not rolled"
                + " back:" + earlier + Leftovers.afterFailure(lock.session(), nonTransactional.get(fileName),
                        e.getMigration().getVersion().getVersion(), before.invalidIndexes()), e);
    }

    /**
     * Flyway's own answer, from the .sql.conf and the statements: a file mixing statements that cannot run in a
     * transaction with others is refused, since Flyway would fail it half-way.
     */
    private static boolean transactional(MigrationInfoImpl migration, String script) {
        try {
            return migration.canExecuteInTransaction();
        } catch (FlywayException e) {
            if (!String.valueOf(e.getMessage()).contains(MIXED_TRANSACTIONALITY)) {
                throw e;
            }
            Matcher line = AT_LINE.matcher(e.getMessage());
            throw Pgk8sException.badInput("migration " + script + (line.find() ? " line " + line.group(1) : "")
                    + " cannot run in a transaction but the rest of the file does; add " + script
                    + ".conf containing executeInTransaction=false, or move it to a migration of its own");
        }
    }

    private static Pgk8sException failure(FlywayException e, ConnectionSettings settings, Duration lockWait) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("advisory lock")) {
            return lockHeld(e, lockWait);
        }
        if (e.getCause() instanceof SQLException sql) {
            return cannotConnect(sql, settings);
        }
        return new Pgk8sException(ExitCodes.FAILED, "migrate failed: " + oneLine(message), e);
    }

    /** All of a multi-line Flyway message on one line: its later lines name the files. */
    static String oneLine(String message) {
        return message == null ? "unknown error"
                : Arrays.stream(message.split("\\R")).map(String::strip).filter(l -> !l.isEmpty())
                        .collect(Collectors.joining(" "));
    }

    private static Pgk8sException lockHeld(Exception e, Duration lockWait) {
        return new Pgk8sException(ExitCodes.FAILED, "another migrator held the migration lock for over "
                + lockWait.toSeconds() + "s; run again or raise --lock-wait", e);
    }

    private static Pgk8sException cannotConnect(SQLException e, ConnectionSettings settings) {
        return new Pgk8sException(ExitCodes.FAILED, "cannot migrate " + settings.database()
                + " at " + settings.hostPort() + ": " + DbErrors.describe(e, settings), e);
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    static int version(String flywayVersion) {
        return flywayVersion == null || flywayVersion.isBlank() ? 0 : Integer.parseInt(flywayVersion);
    }
}
