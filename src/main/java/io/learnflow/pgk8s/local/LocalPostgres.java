package io.learnflow.pgk8s.local;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;

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

    /** Where a kept data directory keeps its superuser's password, readable only by its owner. */
    static final String SUPERUSER_PASSWORD_FILE = "pgk8s-superuser.password";
    /** The archive of PostgreSQL 16 for Linux x86_64 that zonky unpacks, from the binaries jar in the pom. */
    private static final String BINARIES = "postgres-linux-x86_64.txz";

    /**
     * Starts PostgreSQL with {@code scram-sha-256} password checks on every connection, as in the cluster, and
     * the profile's database owned by its non-superuser role.
     *
     * @param port    0 for any free port
     * @param dataDir null for a temporary directory removed on close; otherwise kept across restarts
     * @param log     where to say what was recovered
     */
    public static LocalPostgres start(Profile profile, int port, Path dataDir, Consumer<String> log) {
        requireBinaries();
        if (dataDir != null) {
            // First: the server a killed local left on this directory may hold the very port asked for.
            DataDirectory.check(dataDir.toAbsolutePath());
            DataDirectory.recover(dataDir.toAbsolutePath(), log);
        }
        if (port != 0 && !portFree(port)) {
            throw Pgk8sException.badInput("port " + port + " is in use: stop what uses it, or pass --port N (0 picks a free one)");
        }
        Path privateDir = PrivateDirectory.forCurrentUser();
        // zonky unpacks its binaries under this path, and loosens its mode; the private parent keeps others out.
        System.setProperty("ot.epg.working-dir", privateDir.resolve("embedded-pg").toString());
        Path data;
        try {
            if (dataDir == null) {
                data = Files.createTempDirectory(privateDir, "data-");
            } else {
                data = dataDir.toAbsolutePath();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path passwordFile = data.resolve(SUPERUSER_PASSWORD_FILE);
        if (dataDir != null && !Files.exists(passwordFile) && DataDirectory.checksPasswords(data)) {
            throw Pgk8sException.failed("--data " + dataDir + " has no " + SUPERUSER_PASSWORD_FILE + ", and its server"
                    + " checks passwords: restore that file from where the directory came from, or give a new --data");
        }
        String superuserPassword = dataDir != null && Files.exists(passwordFile) ? read(passwordFile)
                : UUID.randomUUID().toString();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(true)
                .setDataDirectory(data).setCleanDataDirectory(dataDir == null)
                .setConnectConfig("password", superuserPassword);
        if (port != 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres;
        Path pwfile = null;
        try {
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                // zonky runs initdb with -A trust, then these as --key=value: they win.
                pwfile = Files.createTempFile(privateDir, "pw-", ".txt");
                Files.writeString(pwfile, superuserPassword);
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", pwfile.toString());
            }
            postgres = builder.start();
            if (dataDir != null && !Files.exists(passwordFile)) {
                // After initdb, which wants an empty directory; the directory itself is 0700.
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(passwordFile, superuserPassword);
            }
        } catch (IOException | RuntimeException e) {
            throw new Pgk8sException(ExitCodes.FAILED,
                    "embedded PostgreSQL did not start: " + e.getMessage(), e);
        } finally {
            deleteQuietly(pwfile);
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

    /**
     * The production images leave the PostgreSQL binaries out (README, "Images"): without them, one line that
     * says where {@code local} runs.
     *
     * @throws Pgk8sException exit 2 when this build has no binaries for this machine
     */
    static void requireBinaries() {
        if (LocalPostgres.class.getClassLoader().getResource(BINARIES) == null
                && "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            throw Pgk8sException.badInput("this build of pgk8s has no embedded PostgreSQL (" + BINARIES + "), as the"
                    + " production images: run local from a Maven build (target/quarkus-app/pgk8s local), or build"
                    + " the image with --build-arg LOCAL_POSTGRES=yes");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ConnectionSettings settings() {
        return settings;
    }

    private static void createRoleAndDatabase(EmbeddedPostgres postgres, ConnectionSettings s) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", s.user())) {
                st.execute("CREATE ROLE " + quoteIdent(s.user()) + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
                        + quoteLiteral(s.password()));
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

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temporary file in a private directory
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
