package io.learnflow.pgk8s.migrate;

import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.learnflow.pgk8s.db.LearnFlowSchema;

/** Keeps the spec's {@code schema_migrations(version, applied_at)} contract as a view over Flyway's history. */
public final class SchemaMigrationsView implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE || event == Event.AFTER_MIGRATE_ERROR;
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
            statement.execute("SELECT to_regclass('" + history + "') IS NOT NULL");
            try (var rs = statement.getResultSet()) {
                if (rs.next() && rs.getBoolean(1)) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("cannot create the " + LearnFlowSchema.MIGRATIONS_VIEW + " view: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "pgk8s " + LearnFlowSchema.MIGRATIONS_VIEW + " view";
    }
}
