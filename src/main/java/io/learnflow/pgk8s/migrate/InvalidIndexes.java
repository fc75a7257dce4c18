package io.learnflow.pgk8s.migrate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** INVALID indexes: what a failed or interrupted {@code CREATE INDEX CONCURRENTLY} leaves (PostgreSQL docs, CREATE INDEX). */
final class InvalidIndexes {
    private InvalidIndexes() {
    }

    /** One INVALID index: {@code qualified} as {@code schema.name}, quoted where needed, and its table's name. */
    record Index(String qualified, String name, String table) {
        /**
         * Whether a migration's text names it or its table: another session's concurrent build elsewhere in the
         * database, or REINDEX CONCURRENTLY's {@code _ccnew} copy, is not the migration's to touch.
         */
        boolean namedIn(String script) {
            return mentions(script, name) || !name.matches(".*_cc(new|old)\\d*") && mentions(script, table);
        }

        String dropSql() {
            return "DROP INDEX CONCURRENTLY IF EXISTS " + qualified + ";";
        }

        private static boolean mentions(String script, String identifier) {
            return Pattern.compile("(?<![\\w$])" + Pattern.quote(identifier.toLowerCase(Locale.ROOT)) + "(?![\\w$])")
                    .matcher(script.toLowerCase(Locale.ROOT)).find();
        }
    }

    /** Every INVALID index of the database. */
    static List<Index> list(Statement statement) throws SQLException {
        List<Index> indexes = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                + " c.relname, t.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE NOT i.indisvalid ORDER BY 1")) {
            while (rs.next()) {
                indexes.add(new Index(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return List.copyOf(indexes);
    }

    /** The INVALID indexes a migration left: new since {@code before}, and named in its text. */
    static List<Index> madeBy(String script, Collection<Index> now, Collection<Index> before) {
        return now.stream().filter(i -> !before.contains(i) && i.namedIn(script)).toList();
    }

    static List<String> names(Collection<Index> indexes) {
        return indexes.stream().map(Index::qualified).toList();
    }
}
