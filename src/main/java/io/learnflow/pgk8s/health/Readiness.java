package io.learnflow.pgk8s.health;

/**
 * The init-container rule: the server accepts connections, the database exists, and its schema is at
 * or above a minimum version. A pure function of one snapshot.
 */
public final class Readiness {
    private Readiness() {
    }

    public record Verdict(boolean ready, String message) {
    }

    public static Verdict evaluate(DbSnapshot s, int minVersion) {
        if (!s.serverUp()) {
            return new Verdict(false, "waiting for PostgreSQL at " + s.target().hostPort() + ": " + s.connectError());
        }
        if (!s.databaseExists()) {
            return new Verdict(false, "waiting for database " + s.target().database() + " to exist");
        }
        if (s.schemaVersion() < minVersion) {
            return new Verdict(false, "waiting for schema version " + minVersion + " (now " + s.schemaVersion() + ")");
        }
        return new Verdict(true, "ready: " + s.target().database() + " at version " + s.schemaVersion());
    }
}
