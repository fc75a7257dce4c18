package io.learnflow.pgk8s.migrate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * pgk8s's work around each migration, on Flyway's migration connection:
 * <ul>
 * <li>Session state a migration set ({@code SET ROLE}, {@code search_path}, {@code statement_timeout},
 * {@code session_replication_role}, ...) is reset before and after it, so it reaches neither the history
 * row, the view, nor the next file. Flyway itself only restores the role.</li>
 * <li>The {@code schema_migrations} view exists after each migration, in its transaction: a run killed before
 * the end must still leave the view over what it applied.</li>
 * <li>A migration that ran outside a transaction must leave no INVALID index behind: it is refused before
 * Flyway records it as applied (a failed {@code CREATE INDEX CONCURRENTLY}, see hexpm/hexpm#1817).</li>
 * </ul>
 * One instance serves one run.
 */
final class MigrationBookkeeping implements Callback {
    private final Set<InvalidIndexes.Index> invalidBefore;
    private final Map<String, String> nonTransactionalScripts;
    private String searchPath;

    /**
     * @param invalidBefore           INVALID indexes ({@code schema.name}) before the run
     * @param nonTransactionalScripts the text of each pending script that runs outside a transaction, by file name
     */
    MigrationBookkeeping(Set<InvalidIndexes.Index> invalidBefore, Map<String, String> nonTransactionalScripts) {
        this.invalidBefore = Set.copyOf(invalidBefore);
        this.nonTransactionalScripts = Map.copyOf(nonTransactionalScripts);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE || event == Event.AFTER_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE_ERROR || event == Event.AFTER_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try (Statement statement = context.getConnection().createStatement()) {
            if (event == Event.AFTER_EACH_MIGRATE_ERROR) {
                // Outside a transaction Flyway writes the failed history row next, on this session. Inside one,
                // the session is aborted, and the rollback undoes the migration's SETs anyway.
                if (context.getConnection().getAutoCommit()) {
                    resetSession(statement);
                }
                return;
            }
            if (event == Event.BEFORE_EACH_MIGRATE) {
                searchPath = currentSearchPath(statement); // as Flyway set it for the migration
            }
            resetSession(statement);
            if (event == Event.AFTER_EACH_MIGRATE) {
                String script = MigrationService.fileName(context.getMigrationInfo().getScript());
                if (nonTransactionalScripts.containsKey(script)) {
                    refuseInvalidIndexes(statement, script);
                }
            }
            if (event != Event.BEFORE_EACH_MIGRATE) {
                SchemaMigrationsView.ensure(statement, context.getConfiguration().getTable());
            }
            if (event == Event.AFTER_MIGRATE) {
                SchemaMigrationsView.grant(statement);
            }
        } catch (SQLException e) {
            throw new FlywayException("pgk8s bookkeeping (" + LearnFlowSchema.MIGRATIONS_VIEW + " view, session reset)"
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code RESET ALL} leaves the role alone, so it is reset too; pgk8s's own setting is set again. */
    private void resetSession(Statement statement) throws SQLException {
        statement.execute("RESET ROLE");
        statement.execute("RESET ALL");
        statement.execute(MigrationService.CONNECTION_CHECK);
        if (searchPath != null) {
            try (PreparedStatement set = statement.getConnection()
                    .prepareStatement("SELECT set_config('search_path', ?, false)")) {
                set.setString(1, searchPath);
                set.execute();
            }
        }
    }

    private static String currentSearchPath(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT current_setting('search_path')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void refuseInvalidIndexes(Statement statement, String script) throws SQLException {
        String text = nonTransactionalScripts.get(script);
        List<InvalidIndexes.Index> invalid = InvalidIndexes.list(statement);
        List<InvalidIndexes.Index> made = InvalidIndexes.madeBy(text, invalid, invalidBefore);
        List<InvalidIndexes.Index> skipped = invalid.stream()
                .filter(i -> invalidBefore.contains(i) && i.namedIn(text)).toList();
        if (!made.isEmpty() || !skipped.isEmpty()) {
            throw new InvalidIndexException(script, made, skipped);
        }
    }

    @Override
    public String getCallbackName() {
        return "pgk8s bookkeeping";
    }
}
