package io.learnflow.pgk8s.migrate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** INVALID indexes: what a failed or interrupted {@code CREATE INDEX CONCURRENTLY} leaves (PostgreSQL docs, CREATE INDEX). */
final class InvalidIndexes {
    private InvalidIndexes() {
    }

    /** Every INVALID index of the database, as {@code schema.name}, quoted where needed. */
    static List<String> list(Statement statement) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE NOT i.indisvalid ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return List.copyOf(names);
    }

    /** The index's own name, as a migration would write it. */
    static String name(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1).replace("\"", "");
    }

    static String dropSql(String index) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + index + ";";
    }
}

