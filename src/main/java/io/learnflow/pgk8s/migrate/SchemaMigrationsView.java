package io.learnflow.pgk8s.migrate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * Keeps the spec's {@code schema_migrations(version, applied_at)} contract (section 5.3) as a view over Flyway's
 * history, readable by every role: services run {@code pgk8s wait} under roles of their own.
 */
final class SchemaMigrationsView {
    private SchemaMigrationsView() {
    }

    /**
     * Creates the view once the history table exists; pgk8s migrators take turns ({@link MigratorLock}), so
     * no lock of its own is needed.
     */
    static void ensure(Statement statement, String history) throws SQLException {
        if (isTrue(statement, "to_regclass('" + history + "') IS NOT NULL")
                && isTrue(statement, "to_regclass('" + LearnFlowSchema.MIGRATIONS_VIEW + "') IS NULL")) {
            statement.execute("CREATE VIEW " + LearnFlowSchema.MIGRATIONS_VIEW + " AS"
                    + " SELECT version::integer AS version, installed_on AS applied_at"
                    + " FROM " + history + " WHERE success AND type = 'SQL'");
            grant(statement);
        }
    }

    /** Views made before pgk8s granted it get the grant; for a role that does not own the view it is a no-op. */
    static void grant(Statement statement) throws SQLException {
        statement.execute("GRANT SELECT ON " + LearnFlowSchema.MIGRATIONS_VIEW + " TO PUBLIC");
    }

    static boolean isTrue(Statement statement, String condition) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT " + condition)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
