package io.learnflow.pgk8s.health;

/**
 * Why a probe could not see the whole database: one sentence with the fix, e.g.
 * {@code password authentication failed for learnflow_user: check PGPASSWORD or the postgres-app Secret}.
 */
public record Problem(Kind kind, String reason) {
    public enum Kind {
        /** No PostgreSQL answered: refused, timed out, unknown host, or the server is starting up. */
        UNREACHABLE,
        /** The server answered but refused the login: password, role, pg_hba.conf, TLS. */
        LOGIN,
        /** The server answered that the database does not exist (SQLSTATE 3D000). */
        NO_DATABASE,
        /** Logged in, but a grant is missing (SQLSTATE 42501). */
        PERMISSION,
        /** Logged in, but a health query failed, or an object pgk8s reads is not the one pgk8s made. */
        QUERY
    }

    public boolean serverAnswered() {
        return kind != Kind.UNREACHABLE;
    }

    public boolean loggedIn() {
        return kind == Kind.PERMISSION || kind == Kind.QUERY;
    }
}
