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
    /** One Flyway run uses one instance: once the view is known to exist, later migrations skip the check. */
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
            // After each migration, in its transaction, only if missing: a run killed before AFTER_MIGRATE
            // must still leave the view over what it applied, or wait and verify would see version 0.
            if (event == Event.AFTER_EACH_MIGRATE) {
                if (!viewExists && isTrue(statement, "to_regclass('" + LearnFlowSchema.MIGRATIONS_VIEW + "') IS NULL")) {
                    statement.execute(sql);
                }
                viewExists = true;
            } else if (isTrue(statement, "to_regclass('" + history + "') IS NOT NULL")) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new FlywayException("cannot create the " + LearnFlowSchema.MIGRATIONS_VIEW + " view: " + e.getMessage(), e);
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
