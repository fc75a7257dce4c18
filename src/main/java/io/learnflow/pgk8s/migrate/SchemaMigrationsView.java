package io.learnflow.pgk8s.migrate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.learnflow.pgk8s.db.LearnFlowSchema;

/** Keeps the spec's {@code schema_migrations(version, applied_at)} contract as a view over Flyway's history. */
public final class SchemaMigrationsView implements Callback {
    /** An advisory lock key of pgk8s's own, apart from Flyway's. */
    private static final long VIEW_LOCK = 0x7067_6b38_7669_6577L;
    /** One Flyway run uses one instance: once the view is known to exist, later events skip the check. */
    private boolean viewExists;

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_EACH_MIGRATE || event == Event.AFTER_MIGRATE || event == Event.AFTER_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String history = context.getConfiguration().getTable();
        String sql = "CREATE OR REPLACE VIEW " + LearnFlowSchema.MIGRATIONS_VIEW + " AS"
                + " SELECT version::integer AS version, installed_on AS applied_at"
                + " FROM " + history + " WHERE success AND type = 'SQL'";
        try (Statement statement = context.getConnection().createStatement()) {
            // After each migration, in its transaction: a run killed before AFTER_MIGRATE must still leave
            // the view over what it applied, or wait and verify would see version 0.
            if (!viewExists && isTrue(statement, "to_regclass('" + history + "') IS NOT NULL")) {
                createIfMissing(statement, sql);
                viewExists = true;
            }
        } catch (SQLException e) {
            throw new FlywayException("cannot create the " + LearnFlowSchema.MIGRATIONS_VIEW + " view: " + e.getMessage(), e);
        }
    }

    /** AFTER_MIGRATE runs outside Flyway's lock, so concurrent migrators take one of their own to create the view. */
    private static void createIfMissing(Statement statement, String sql) throws SQLException {
        statement.execute("SELECT pg_advisory_lock(" + VIEW_LOCK + ")");
        try {
            if (isTrue(statement, "to_regclass('" + LearnFlowSchema.MIGRATIONS_VIEW + "') IS NULL")) {
                statement.execute(sql);
            }
        } finally {
            statement.execute("SELECT pg_advisory_unlock(" + VIEW_LOCK + ")");
        }
    }

    private static boolean isTrue(Statement statement, String condition) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT " + condition)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @Override
    public String getCallbackName() {
        return "pgk8s " + LearnFlowSchema.MIGRATIONS_VIEW + " view";
    }
}
