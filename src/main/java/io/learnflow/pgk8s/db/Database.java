package io.learnflow.pgk8s.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.net.ssl.SSLException;

import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import io.learnflow.pgk8s.db.ConnectionSettings.Server;

/**
 * Opens connections for one set of settings, with libpq's meanings: the host list in order, a socket directory
 * through {@link UnixSocketFactory}, the sslmode, and the connect timeout of the settings.
 */
public final class Database {
    private Database() {
    }

    /**
     * A data source that connects and logs in within {@link ConnectionSettings#connectTimeoutSeconds()} per server
     * (0: no limit); statements are not bounded.
     */
    public static PGSimpleDataSource dataSource(ConnectionSettings settings) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        if (settings.isSocket()) {
            ds.setServerNames(new String[] { "localhost" });
            ds.setPortNumbers(new int[] { settings.port() });
        } else {
            ds.setServerNames(settings.servers().stream().map(Server::host).toArray(String[]::new));
            ds.setPortNumbers(settings.servers().stream().mapToInt(Server::port).toArray());
        }
        ds.setDatabaseName(settings.database());
        ds.setUser(settings.user());
        ds.setPassword(settings.password());
        ds.setConnectTimeout(settings.connectTimeoutSeconds());
        ds.setLoginTimeout(settings.loginTimeoutSeconds());
        ds.setApplicationName(settings.effectiveApplicationName());
        Map<String, String> parameters = settings.jdbcParameters(UnixSocketFactory.class.getName());
        parameters.remove("connectTimeout");
        parameters.remove("loginTimeout");
        parameters.remove("ApplicationName");
        parameters.forEach((name, value) -> ds.setProperty(PGProperty.forName(name), value));
        if (!settings.isSocket() && settings.tls().mode() != SslMode.DISABLE) {
            // Empty, not unset: pgjdbc would otherwise send a client certificate it finds under user.home.
            ds.setSslCert(settings.tls().cert() == null ? "" : settings.tls().cert());
            ds.setSslKey(settings.tls().key() == null ? "" : settings.tls().key());
        }
        return ds;
    }

    /**
     * A short-lived connection for checks: every read is bounded by the connect timeout too.
     *
     * @throws SQLException as pgjdbc throws it; a TLS failure says which sslmode and root certificate it used
     */
    public static Connection connect(ConnectionSettings settings) throws SQLException {
        PGSimpleDataSource ds = dataSource(settings);
        // Without it, a server that accepts but never answers keeps the driver's connect thread blocked after
        // loginTimeout: a thread and a socket leaked per poll of wait, and a JVM that exits 0.4 s late. It also
        // moves on to the next host of a list after connect_timeout, as libpq does.
        ds.setSocketTimeout(settings.connectTimeoutSeconds());
        try {
            return ds.getConnection();
        } catch (PSQLException e) {
            throw explainTls(e, settings);
        }
    }

    private static SQLException explainTls(PSQLException e, ConnectionSettings settings) {
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof SSLException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return e;
        }
        String root = settings.tls().rootCert() == null ? "" : " against root certificate " + settings.tls().rootCert();
        return new PSQLException("TLS with sslmode " + settings.tls().jdbcMode() + root + " failed: "
                + DbErrors.firstLine(cause.getMessage()), PSQLState.CONNECTION_UNABLE_TO_CONNECT, e);
    }
}
