package io.learnflow.pgk8s.db;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.ds.PGSimpleDataSource;

/** Opens connections for one set of settings; connects and logs in within a bounded time. */
public final class Database {
    private Database() {
    }

    public static PGSimpleDataSource dataSource(ConnectionSettings settings, int connectTimeoutSeconds) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] { settings.host() });
        ds.setPortNumbers(new int[] { settings.port() });
        ds.setDatabaseName(settings.database());
        ds.setUser(settings.user());
        ds.setPassword(settings.password());
        ds.setConnectTimeout(connectTimeoutSeconds);
        ds.setLoginTimeout(connectTimeoutSeconds);
        ds.setApplicationName("pgk8s");
        return ds;
    }

    /** A short-lived connection for checks: every read is bounded by the timeout too. */
    public static Connection connect(ConnectionSettings settings, int connectTimeoutSeconds) throws SQLException {
        PGSimpleDataSource ds = dataSource(settings, connectTimeoutSeconds);
        // Without it, a server that accepts but never answers keeps the driver's connect thread blocked after
        // loginTimeout: a thread and a socket leaked per poll of wait, and a JVM that exits 0.4 s late.
        ds.setSocketTimeout(connectTimeoutSeconds);
        return ds.getConnection();
    }
}
