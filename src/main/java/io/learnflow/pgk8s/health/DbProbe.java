package io.learnflow.pgk8s.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.DbErrors;
import io.learnflow.pgk8s.db.LearnFlowSchema;

/** Looks at the database once, over one short-lived connection. Never throws. */
public final class DbProbe {
    public DbSnapshot probe(ConnectionSettings target) {
        try (Connection connection = Database.connect(target)) {
            connection.setReadOnly(true);
            boolean selectOne = selectOne(connection);
            return new DbSnapshot(target, null, true, selectOne, tables(connection), appliedVersions(connection));
        } catch (SQLException e) {
            if (DbErrors.INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                return new DbSnapshot(target, null, false, false, Set.of(), Collections.emptySortedSet());
            }
            return new DbSnapshot(target, DbErrors.describe(e, target), false, false, Set.of(),
                    Collections.emptySortedSet());
        }
    }

    private static boolean selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    private static Set<String> tables(Connection connection) throws SQLException {
        String sql = "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_name = ANY (?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", LearnFlowSchema.TABLES.toArray()));
            Set<String> found = new HashSet<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return Set.copyOf(found);
        }
    }

    private static SortedSet<Integer> appliedVersions(Connection connection) throws SQLException {
        SortedSet<Integer> versions = new TreeSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery(
                        "SELECT to_regclass('" + LearnFlowSchema.MIGRATIONS_VIEW + "') IS NOT NULL")) {
            if (!exists.next() || !exists.getBoolean(1)) {
                return versions;
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT version FROM " + LearnFlowSchema.MIGRATIONS_VIEW)) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return Collections.unmodifiableSortedSet(versions);
    }
}
