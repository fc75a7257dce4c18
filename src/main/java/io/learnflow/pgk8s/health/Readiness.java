package io.learnflow.pgk8s.health;

import java.util.List;

/**
 * The init-container rule: the server lets the role in, the database exists, and the schema is migrated to a
 * target version by {@link SchemaStatus}'s rule, the same one verify uses. A pure function of one snapshot.
 */
public final class Readiness {
    private Readiness() {
    }

    public record Verdict(boolean ready, String message) {
    }

    /** @param available the versions this pgk8s carries; @param target the version to wait for */
    public static Verdict evaluate(DbSnapshot s, List<Integer> available, int target) {
        Problem problem = s.problem();
        if (problem != null) {
            return new Verdict(false, switch (problem.kind()) {
                case UNREACHABLE -> "waiting for PostgreSQL at " + s.target().hostPort() + ": " + problem.reason();
                case NO_DATABASE -> "waiting for database " + s.target().database() + " to exist";
                case LOGIN -> "waiting to log in: " + problem.reason();
                case PERMISSION, QUERY -> "waiting: " + problem.reason();
            });
        }
        SchemaStatus schema = s.schema();
        if (!schema.migrated(available, target)) {
            List<Integer> pending = schema.pending(available, target);
            return new Verdict(false, "waiting for schema version " + target + " (now " + schema.version()
                    + (pending.isEmpty() ? "" : ", " + schema.describe(available, target)) + ")");
        }
        return new Verdict(true, "ready: " + s.target().database() + " " + schema.describe(available, target));
    }
}
