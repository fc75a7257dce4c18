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
            return new Verdict(false, waiting(s, problem));
        }
        SchemaStatus schema = s.schema();
        if (!schema.migrated(available, target)) {
            List<Integer> pending = schema.pending(available, target);
            return new Verdict(false, "waiting for schema version " + target + " (now " + schema.version()
                    + (pending.isEmpty() ? "" : ", " + schema.describe(available, target)) + ")");
        }
        return new Verdict(true, "ready: " + s.target().database() + " " + schema.describe(available, target));
    }

    /**
     * {@code migrate --wait}'s rule: the server answers, lets the role in, and the database exists. Other problems
     * (a grant, an object pgk8s did not make) are no reason to wait: migrate reports them itself, at once.
     */
    public static Verdict acceptsLogin(DbSnapshot s) {
        Problem problem = s.problem();
        if (problem != null && switch (problem.kind()) {
            case UNREACHABLE, NO_DATABASE, LOGIN -> true;
            case PERMISSION, QUERY -> false;
        }) {
            return new Verdict(false, waiting(s, problem));
        }
        return new Verdict(true, "logged in to " + s.target().database());
    }

    private static String waiting(DbSnapshot s, Problem problem) {
        return switch (problem.kind()) {
            case UNREACHABLE -> "waiting for PostgreSQL at " + s.target().hostPort() + ": " + problem.reason();
            case NO_DATABASE -> "waiting for database " + s.target().database() + " to exist";
            case LOGIN -> "waiting to log in: " + problem.reason();
            case PERMISSION, QUERY -> "waiting: " + problem.reason();
        };
    }
}
