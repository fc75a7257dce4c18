package io.learnflow.pgk8s.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** Opens connections for one set of settings; connects and logs in within a bounded time. */
public final class Database {
    private Database() {
    }

    public static DataSource dataSource(ConnectionSettings settings, int connectTimeoutSeconds) {
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

    public static Connection connect(ConnectionSettings settings, int connectTimeoutSeconds) throws SQLException {
        return dataSource(settings, connectTimeoutSeconds).getConnection();
    }
}
