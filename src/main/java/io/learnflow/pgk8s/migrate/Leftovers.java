package io.learnflow.pgk8s.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.learnflow.pgk8s.db.DbErrors;
import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * What a migration outside a transaction leaves when it fails, and its removal on pgk8s's own session: the
 * INVALID indexes it made and its failed history row, nothing else. Where that fails, the SQL to run instead.
 * A failed {@code CREATE INDEX CONCURRENTLY} leaves an INVALID index behind (PostgreSQL docs, CREATE INDEX).
 */
final class Leftovers {
    private Leftovers() {
    }

    /** The end of the failure message: what stays, what pgk8s removed, or what to run. */
    static String afterFailure(Connection session, String script, String version, Collection<InvalidIndexes.Index> before) {
        List<InvalidIndexes.Index> made = List.of();
        List<InvalidIndexes.Index> inTheWay = List.of();
        try (Statement statement = session.createStatement()) {
            List<InvalidIndexes.Index> now = InvalidIndexes.list(statement);
            made = InvalidIndexes.madeBy(script, now, before);
            inTheWay = now.stream().filter(i -> before.contains(i) && i.namedIn(script)).toList();
            drop(statement, made);
            deleteFailedRow(session, version);
        } catch (SQLException e) {
            return " pgk8s could not clean up (" + DbErrors.firstLine(e.getMessage()) + "): run "
                    + sql(made, version) + " then migrate again";
        }
        String removed = " pgk8s removed " + (made.isEmpty() ? "" : "the INVALID index "
                + String.join(", ", InvalidIndexes.names(made)) + " it left and ") + "its failed history row;";
        if (!inTheWay.isEmpty()) {
            return removed + " an INVALID index from an earlier failed build is in its way: run "
                    + inTheWay.stream().map(InvalidIndexes.Index::dropSql).collect(Collectors.joining(" "))
                    + " then migrate again";
        }
        return removed + " fix the cause and run migrate again";
    }

    /** The migration succeeded but left INVALID indexes: it was not recorded. */
    static String afterInvalidIndexes(Connection session, InvalidIndexException e) {
        try (Statement statement = session.createStatement()) {
            drop(statement, e.made);
        } catch (SQLException cleanup) {
            return "migration " + e.script + " left the INVALID index " + String.join(", ", InvalidIndexes.names(e.made))
                    + " and was not recorded: run " + sql(e.made, null) + " then migrate again";
        }
        if (!e.skipped.isEmpty()) {
            return "migration " + e.script + " did not build " + String.join(", ", InvalidIndexes.names(e.skipped))
                    + ": an earlier failed build left it INVALID and IF NOT EXISTS skipped it; it was not recorded."
                    + " Run " + sql(e.skipped, null) + " then migrate again";
        }
        return "migration " + e.script + " left the INVALID index " + String.join(", ", InvalidIndexes.names(e.made))
                + "; pgk8s dropped it and did not record the migration: fix the cause and run migrate again";
    }

    private static void drop(Statement statement, List<InvalidIndexes.Index> indexes) throws SQLException {
        for (InvalidIndexes.Index index : indexes) {
            statement.execute(index.dropSql());
        }
    }

    private static void deleteFailedRow(Connection session, String version) throws SQLException {
        try (PreparedStatement delete = session.prepareStatement(deleteFailedRow("?"))) {
            delete.setString(1, version);
            delete.executeUpdate();
        }
    }

    private static String deleteFailedRow(String version) {
        return "DELETE FROM " + LearnFlowSchema.HISTORY_TABLE + " WHERE version = " + version + " AND NOT success";
    }

    /** The SQL a person runs instead; {@code version} null when there is no failed history row. */
    private static String sql(List<InvalidIndexes.Index> indexes, String version) {
        List<String> statements = new ArrayList<>(indexes.stream().map(InvalidIndexes.Index::dropSql).toList());
        Stream.ofNullable(version).map(v -> deleteFailedRow("'" + v + "'") + ";").forEach(statements::add);
        return String.join(" ", statements);
    }
}
