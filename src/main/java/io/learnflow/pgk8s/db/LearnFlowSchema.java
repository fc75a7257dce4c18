package io.learnflow.pgk8s.db;

import java.util.List;

/** Facts about the LearnFlow schema that health checks rely on. */
public final class LearnFlowSchema {
    /** The spec's five tables, in the order a person reads them. */
    public static final List<String> TABLES = List.of(
            "users", "learning_progress", "struggles", "exercises", "code_executions");

    /** The spec's migration-tracking contract, a view over Flyway's history table. */
    public static final String MIGRATIONS_VIEW = "schema_migrations";

    private LearnFlowSchema() {
    }
}
