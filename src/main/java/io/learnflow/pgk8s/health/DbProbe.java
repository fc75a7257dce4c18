package io.learnflow.pgk8s.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.DbErrors;
import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * Looks at the database once, over one short-lived connection, as any role that may log in: it reads only
 * the catalog and the {@code schema_migrations} view, which {@code migrate} grants to PUBLIC. Never throws.
 */
public final class DbProbe {
    /**
     * A loaded server that lets us in gets this long per health query: below the socket timeout, so a slow
     * query is told apart from a lost server.
     */
    static final int STATEMENT_TIMEOUT_MILLIS = 1000;

    public DbSnapshot probe(ConnectionSettings target) {
        Connection connection;
        try {
            connection = Database.connect(target);
        } catch (SQLException e) {
            return DbSnapshot.failed(target, loginProblem(e, target));
        }
        boolean selectOne = false;
        Set<String> tables = null;
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = " + STATEMENT_TIMEOUT_MILLIS);
            selectOne = selectOne(statement);
            if (!hasSchema(statement)) {
                return new DbSnapshot(target, new Problem(Problem.Kind.PERMISSION, "no schema on the search_path is"
                        + " usable by " + target.user() + ": GRANT USAGE ON SCHEMA public TO " + target.user()),
                        selectOne, null, Collections.emptySortedSet());
            }
            Catalog catalog = catalog(connection);
            tables = catalog.tables();
            if (!catalog.viewIsOurs()) {
                return new DbSnapshot(target, new Problem(Problem.Kind.QUERY, LearnFlowSchema.MIGRATIONS_VIEW
                        + " is not the view pgk8s makes (" + catalog.migrationsRelation() + "): another migration tool's"
                        + " table? pgk8s migrate says how to proceed"), selectOne, tables, Collections.emptySortedSet());
            }
            SortedSet<Integer> versions = catalog.migrationsRelation() == null ? Collections.emptySortedSet()
                    : appliedVersions(statement);
            return new DbSnapshot(target, null, selectOne, tables, versions);
        } catch (SQLException e) {
            return new DbSnapshot(target, queryProblem(e, target), selectOne, tables, Collections.emptySortedSet());
        }
    }

    static Problem loginProblem(SQLException e, ConnectionSettings target) {
        String reason = DbErrors.describe(e, target);
        if (DbErrors.unreachable(e)) {
            return new Problem(Problem.Kind.UNREACHABLE, reason);
        }
        if (DbErrors.INVALID_CATALOG_NAME.equals(e.getSQLState())) {
            return new Problem(Problem.Kind.NO_DATABASE, target.database() + " does not exist");
        }
        if (DbErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            return new Problem(Problem.Kind.PERMISSION, reason + ": GRANT CONNECT ON DATABASE " + target.database()
                    + " TO " + target.user());
        }
        if (DbErrors.INVALID_AUTHORIZATION.equals(e.getSQLState()) && reason.startsWith("role ")) {
            return new Problem(Problem.Kind.LOGIN, reason + ": check PGUSER, or create the role");
        }
        return new Problem(Problem.Kind.LOGIN, reason);
    }

    private static Problem queryProblem(SQLException e, ConnectionSettings target) {
        String reason = DbErrors.serverMessage(e);
        if (DbErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            return new Problem(Problem.Kind.PERMISSION, reason + ": run pgk8s migrate, which grants SELECT on "
                    + LearnFlowSchema.MIGRATIONS_VIEW + " to PUBLIC, or GRANT it to " + target.user());
        }
        if (DbErrors.QUERY_CANCELED.equals(e.getSQLState())) {
            return new Problem(Problem.Kind.QUERY, "a health query took over " + STATEMENT_TIMEOUT_MILLIS
                    + " ms: the server is overloaded or locked");
        }
        return new Problem(Problem.Kind.QUERY, reason);
    }

    private static boolean selectOne(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT 1")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /** current_schema() is null when the role may use no schema on its search_path. */
    private static boolean hasSchema(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT current_schema() IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** What the catalog, readable by every role, says of the five tables and schema_migrations. */
    private record Catalog(Set<String> tables, String migrationsRelation, boolean viewIsOurs) {
    }

    private static Catalog catalog(Connection connection) throws SQLException {
        String sql = "SELECT c.relname, c.relkind::text,"
                + " " + LearnFlowSchema.MIGRATIONS_VIEW_IS_OURS
                + " FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY (?)";
        List<String> names = new ArrayList<>(LearnFlowSchema.TABLES);
        names.add(LearnFlowSchema.MIGRATIONS_VIEW);
        Set<String> tables = new HashSet<>();
        String migrations = null;
        boolean ours = true;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(LearnFlowSchema.MIGRATIONS_VIEW)) {
                        migrations = LearnFlowSchema.relationKind(rs.getString(2));
                        ours = rs.getBoolean(3);
                    } else if (List.of("r", "p").contains(rs.getString(2))) {
                        tables.add(rs.getString(1));
                    }
                }
            }
        }
        return new Catalog(Set.copyOf(tables), migrations, ours);
    }

    private static SortedSet<Integer> appliedVersions(Statement statement) throws SQLException {
        SortedSet<Integer> versions = new TreeSet<>();
        try (ResultSet rs = statement.executeQuery("SELECT version FROM " + LearnFlowSchema.MIGRATIONS_VIEW)) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return Collections.unmodifiableSortedSet(versions);
    }
}
