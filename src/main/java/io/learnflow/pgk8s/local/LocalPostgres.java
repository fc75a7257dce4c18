package io.learnflow.pgk8s.local;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.profile.Profile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 16 from Maven Central binaries, with the profile's database and role, for people
 * with no cluster and no Docker.
 */
public final class LocalPostgres implements Closeable {
    private final EmbeddedPostgres postgres;
    private final ConnectionSettings settings;

    private LocalPostgres(EmbeddedPostgres postgres, ConnectionSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
    }

    /**
     * @param port    0 for any free port
     * @param dataDir null for a temporary directory removed on close; otherwise kept across restarts
     */
    public static LocalPostgres start(Profile profile, int port, Path dataDir) {
        if (port != 0 && !portFree(port)) {
            throw Pgk8sException.badInput("port " + port + " is in use: stop what uses it, or pass --port N (0 picks a free one)");
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(true);
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir.toAbsolutePath()).setCleanDataDirectory(false);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new Pgk8sException(ExitCodes.FAILED,
                    "embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
        ConnectionSettings settings = new ConnectionSettings("localhost", postgres.getPort(), profile.database(),
                profile.user(), profile.defaultPassword());
        try {
            createRoleAndDatabase(postgres, settings);
        } catch (SQLException e) {
            closeQuietly(postgres);
            throw new Pgk8sException(ExitCodes.FAILED,
                    "cannot prepare the local database: " + e.getMessage(), e);
        }
        return new LocalPostgres(postgres, settings);
    }

    public ConnectionSettings settings() {
        return settings;
    }

    private static void createRoleAndDatabase(EmbeddedPostgres postgres, ConnectionSettings s) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", s.user())) {
                st.execute("CREATE ROLE " + quoteIdent(s.user()) + " LOGIN PASSWORD " + quoteLiteral(s.password()));
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", s.database())) {
                st.execute("CREATE DATABASE " + quoteIdent(s.database()) + " OWNER " + quoteIdent(s.user()));
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
