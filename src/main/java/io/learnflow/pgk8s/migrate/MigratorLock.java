package io.learnflow.pgk8s.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;

/**
 * One pgk8s migrator per database at a time, for the whole run. Flyway's own lock covers applying migrations but
 * not creating or baselining its history table, so two first runs could both try to create it.
 * The lock lives in a session of its own: it is released when the run ends, or when its process dies.
 */
final class MigratorLock implements AutoCloseable {
    /** PostgreSQL's SQLSTATE for lock_not_available, which lock_timeout raises. */
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final long KEY = 0x7067_6b38_6d69_6772L;

    private final Connection session;

    private MigratorLock(Connection session) {
        this.session = session;
    }

    /** Throws SQLException with {@link #LOCK_NOT_AVAILABLE} when another migrator holds it for longer than wait. */
    static MigratorLock acquire(ConnectionSettings settings, Duration wait) throws SQLException {
        Connection session = Database.dataSource(settings).getConnection();
        try (Statement statement = session.createStatement()) {
            statement.execute("SET lock_timeout = '" + wait.toMillis() + "ms'");
            statement.execute("SELECT pg_advisory_lock(" + KEY + ")");
            return new MigratorLock(session);
        } catch (SQLException e) {
            session.close();
            throw e;
        }
    }

    /**
     * The lock's own session, whose state no migration touches: pgk8s's checks and clean-up run on it. Its
     * lock_timeout stays at the lock wait, so no clean-up waits without a bound.
     */
    Connection session() {
        return session;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (SQLException e) {
            // Closing the session releases the lock either way.
        }
    }
}
