package io.learnflow.pgk8s.db;

import java.util.List;

/** Facts about the LearnFlow schema that health checks and migrate rely on. */
public final class LearnFlowSchema {
    /** The spec's five tables, in the order a person reads them. */
    public static final List<String> TABLES = List.of(
            "users", "learning_progress", "struggles", "exercises", "code_executions");

    /** The spec's migration-tracking contract, a view over Flyway's history table. */
    public static final String MIGRATIONS_VIEW = "schema_migrations";

    /** Flyway's history table, under its default name. */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    /**
     * True for the pg_class row {@code c} of pgk8s's {@code schema_migrations}: a view over Flyway's history,
     * not another tool's table of the same name (golang-migrate, dbmate, Rails). It reads the view's
     * dependencies from the catalog, which takes no lock (pg_get_viewdef would wait behind a lock on the table).
     */
    public static final String MIGRATIONS_VIEW_IS_OURS = "c.relkind = 'v' AND EXISTS (SELECT FROM pg_rewrite r"
            + " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
            + " JOIN pg_class h ON h.oid = d.refobjid AND h.relname = '" + HISTORY_TABLE + "'"
            + " WHERE r.ev_class = c.oid)";

    private LearnFlowSchema() {
    }

    /** A pg_class.relkind in words, for messages. */
    public static String relationKind(String relkind) {
        return switch (relkind) {
            case "r", "p" -> "a table";
            case "v" -> "a view";
            case "m" -> "a materialized view";
            case "S" -> "a sequence";
            case "f" -> "a foreign table";
            default -> "a relation of kind " + relkind;
        };
    }
}
