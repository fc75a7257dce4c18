package io.learnflow.pgk8s.migrate;

import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.DbErrors;
import jakarta.inject.Singleton;

/** Applies migrations with Flyway: one transaction each, one migrator at a time (PostgreSQL advisory locks). */
@Singleton
public class MigrationService {
    public static final int DEFAULT_LOCK_WAIT_SECONDS = 60;
    private static final String MIXED_TRANSACTIONALITY = "transactional and non-transactional statements";
    private static final Pattern AT_LINE = Pattern.compile("at line (\\d+)");

    public MigrationOutcome migrate(ConnectionSettings settings, MigrationSource source, Duration lockWait) {
        source.files(); // rejects bad names, duplicates and empty or missing directories before anything runs
        Flyway flyway = flyway(settings, source, lockWait);
        try (MigratorLock lock = lock(settings, lockWait)) {
            failOnDrift(flyway, source);
            MigrateResult result = flyway.migrate();
            int from = version(result.initialSchemaVersion);
            int to = result.targetSchemaVersion == null ? from : version(result.targetSchemaVersion);
            return new MigrationOutcome(from, to, result.migrationsExecuted);
        } catch (FlywayMigrateException e) {
            throw migrationFailed(e);
        } catch (FlywayException e) {
            if (String.valueOf(e.getMessage()).contains(MIXED_TRANSACTIONALITY)) {
                throw mixedTransactionality(e, flyway);
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

    Flyway flyway(ConnectionSettings settings, MigrationSource source, Duration lockWait) {
        FluentConfiguration configuration = Flyway.configure(MigrationService.class.getClassLoader())
                .dataSource(Database.dataSource(settings))
                .lockRetryCount((int) Math.max(0, lockWait.toSeconds()))
                // A migrator killed mid-statement must not leave its backend (and the lock) running.
                .initSql("SET client_connection_check_interval = '1s'")
                .failOnMissingLocations(true);
        FlywayConventions.apply(configuration);
        source.configure(configuration);
        return configuration.load();
    }

    private static void failOnDrift(Flyway flyway, MigrationSource source) {
        Flyway validator = Flyway.configure(MigrationService.class.getClassLoader())
                .configuration(flyway.getConfiguration())
                .ignoreMigrationPatterns("*:pending")
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
                    + DbErrors.firstLine(invalid.errorDetails.errorMessage));
        }
    }

    private static String fileName(ValidateOutput invalid) {
        String path = invalid.filepath == null || invalid.filepath.isBlank() ? invalid.description : invalid.filepath;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Pgk8sException migrationFailed(FlywayMigrateException e) {
        String script = e.getMigration() == null ? "a migration" : e.getMigration().getScript();
        String fileName = script.substring(script.lastIndexOf('/') + 1);
        String reason = DbErrors.firstLine(e.getMessage());
        int line = e.getLineNumber();
        if (e.getCause() instanceof FlywaySqlScriptException sqlError) {
            line = sqlError.getLineNumber();
            Throwable sql = sqlError.getCause() != null ? sqlError.getCause() : sqlError;
            reason = DbErrors.firstLine(sql.getMessage());
        }
        String at = line > 0 ? " at line " + line : "";
        return new Pgk8sException(ExitCodes.FAILED, "migration " + fileName + " failed" + at + ": "
                + reason + "; it was rolled back, fix the file and run migrate again", e);
    }

    /** Flyway does not say which file; the failing one is the first still pending. */
    private static Pgk8sException mixedTransactionality(FlywayException e, Flyway flyway) {
        MigrationInfo[] pending = flyway.info().pending();
        String file = pending.length == 0 ? "a migration" : pending[0].getScript();
        Matcher line = AT_LINE.matcher(e.getMessage());
        return new Pgk8sException(ExitCodes.FAILED, "migration " + file + (line.find() ? " line " + line.group(1) : "")
                + " cannot run in a transaction but the rest of the file does; add " + file
                + ".conf containing executeInTransaction=false, or move it to a migration of its own", e);
    }

    private static Pgk8sException failure(FlywayException e, ConnectionSettings settings, Duration lockWait) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("advisory lock")) {
            return lockHeld(e, lockWait);
        }
        if (e.getCause() instanceof SQLException sql) {
            return cannotConnect(sql, settings);
        }
        return new Pgk8sException(ExitCodes.FAILED, "migrate failed: " + DbErrors.firstLine(message), e);
    }

    private static Pgk8sException lockHeld(Exception e, Duration lockWait) {
        return new Pgk8sException(ExitCodes.FAILED, "another migrator held the migration lock for over "
                + lockWait.toSeconds() + "s; run again or raise --lock-wait", e);
    }

    private static Pgk8sException cannotConnect(SQLException e, ConnectionSettings settings) {
        return new Pgk8sException(ExitCodes.FAILED, "cannot migrate " + settings.database()
                + " at " + settings.hostPort() + ": " + DbErrors.describe(e, settings), e);
    }

    static int version(String flywayVersion) {
        return flywayVersion == null || flywayVersion.isBlank() ? 0 : Integer.parseInt(flywayVersion);
    }
}
