package io.learnflow.pgk8s.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * What the target schema holds before a run changes anything, read on pgk8s's own session: objects under the
 * names pgk8s uses that another tool or a person made, and whether a schema without history may be baselined.
 */
record Preflight(boolean historyExists, List<String> foreignHistory, String viewClash, List<String> tables,
        Set<InvalidIndexes.Index> invalidIndexes) {

    static Preflight inspect(Connection session) throws SQLException {
        try (Statement statement = session.createStatement()) {
            boolean history = SchemaMigrationsView.isTrue(statement,
                    "to_regclass('" + LearnFlowSchema.HISTORY_TABLE + "') IS NOT NULL");
            return new Preflight(history, history ? foreignHistory(statement) : List.of(), viewClash(statement),
                    tables(statement), Set.copyOf(InvalidIndexes.list(statement)));
        }
    }

    /** Throws a bad-input error when a name pgk8s uses holds someone else's object; nothing has changed yet. */
    void refuseForeignObjects(String database) {
        if (viewClash != null) {
            throw Pgk8sException.badInput(LearnFlowSchema.MIGRATIONS_VIEW + " in " + database + " is " + viewClash
                    + " that pgk8s did not make (golang-migrate, dbmate and Rails use that name): point --database at"
                    + " the LearnFlow database, or rename it if no tool uses it any more");
        }
        if (!foreignHistory.isEmpty()) {
            throw Pgk8sException.badInput(LearnFlowSchema.HISTORY_TABLE + " in " + database + " records migrations"
                    + " that pgk8s did not make (" + String.join(", ", foreignHistory) + "): another Flyway project"
                    + " owns this schema; point --database at the LearnFlow database");
        }
    }

    /**
     * Flyway would baseline any non-empty schema without history. pgk8s baselines only the LearnFlow schema
     * itself (made by the init ConfigMap), unless told to.
     */
    boolean mayBaseline(boolean baselineAsked, String database) {
        if (historyExists || baselineAsked || Set.copyOf(tables).equals(Set.copyOf(LearnFlowSchema.TABLES))) {
            return true;
        }
        if (tables.isEmpty()) {
            return false; // an empty schema needs no baseline; one with other objects is refused by Flyway itself
        }
        List<String> shown = tables.stream().filter(t -> !LearnFlowSchema.TABLES.contains(t)).limit(5).toList();
        throw Pgk8sException.badInput("database " + database + " has no migration history and holds tables that are"
                + " not the LearnFlow schema (" + String.join(", ", shown) + (tables.size() > 5 ? ", ..." : "")
                + "): point --database at the LearnFlow database, or pass --baseline to adopt them at version 0");
    }

    private static List<String> foreignHistory(Statement statement) throws SQLException {
        String sql = "SELECT coalesce(script, type) FROM " + LearnFlowSchema.HISTORY_TABLE
                + " WHERE type NOT IN ('BASELINE', 'SCHEMA', 'DELETE')"
                + " AND (type <> 'SQL' OR version IS NULL OR version !~ '^[0-9]+$' OR script !~ '(^|/)[0-9]+_[^/]*[.]sql$')"
                + " ORDER BY installed_rank LIMIT 3";
        try (ResultSet rs = statement.executeQuery(sql)) {
            List<String> scripts = new ArrayList<>();
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
            return List.copyOf(scripts);
        } catch (SQLException e) {
            // Not Flyway's columns: not Flyway's table either.
            return List.of("a table without Flyway's columns");
        }
    }

    private static String viewClash(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT c.relkind::text, " + LearnFlowSchema.MIGRATIONS_VIEW_IS_OURS
                + " FROM pg_class c WHERE c.oid = to_regclass('" + LearnFlowSchema.MIGRATIONS_VIEW + "')")) {
            return rs.next() && !rs.getBoolean(2) ? LearnFlowSchema.relationKind(rs.getString(1)) : null;
        }
    }

    private static List<String> tables(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT relname FROM pg_class"
                + " WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'f')"
                + " AND relname NOT IN ('" + LearnFlowSchema.HISTORY_TABLE + "', '" + LearnFlowSchema.MIGRATIONS_VIEW
                + "') ORDER BY relname")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return List.copyOf(names);
        }
    }
}
