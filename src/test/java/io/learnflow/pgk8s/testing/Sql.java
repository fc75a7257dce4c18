package io.learnflow.pgk8s.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;

/** Reads what is in a database, for assertions. */
public final class Sql {
    private Sql() {
    }

    /** The first column of every row, as strings. */
    public static List<String> column(ConnectionSettings settings, String query) {
        try (Connection c = Database.connect(settings.withConnectTimeout(5)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    public static List<String> tables(ConnectionSettings settings) {
        return column(settings, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
    }

    public static List<Integer> appliedVersions(ConnectionSettings settings) {
        return column(settings, "SELECT version FROM schema_migrations ORDER BY version").stream()
                .map(Integer::valueOf).toList();
    }
}
