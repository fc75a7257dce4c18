package io.learnflow.pgk8s.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.profile.Profile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 16 for tests, from the same Maven Central binaries as {@code pgk8s local}, with
 * {@code scram-sha-256} password checks as in the cluster. Tests act as the app role, which is no superuser
 * and owns its database; {@link #admin} is for preparing states only the superuser can make.
 * {@link #shared()} is one server per test JVM; each test takes a fresh database from it.
 */
public final class TestPostgres implements AutoCloseable {
    /** The role services use (spec section 4.2), with a password that the server checks. */
    public static final String APP_USER = Profile.DEV.user();
    public static final String APP_PASSWORD = "app pw: 'quoted' $x";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final EmbeddedPostgres postgres;
    private final String superuserPassword;

    private TestPostgres(EmbeddedPostgres postgres, String superuserPassword) {
        this.postgres = postgres;
        this.superuserPassword = superuserPassword;
    }

    /** The server shared by the whole test JVM; stopped by zonky's shutdown hook. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start(EmbeddedPostgres.builder(), null);
        }
        return shared;
    }

    /** A server of the caller's own, on a given port (0 for any) and data directory (null for a temporary one). */
    public static TestPostgres startOwn(int port, Path dataDir) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        return start(builder, dataDir);
    }

    /**
     * zonky runs initdb with {@code -A trust}; its "locale" options are passed after it as {@code --key=value}, so
     * they can switch every connection to password checks and give the superuser a password.
     */
    private static TestPostgres start(EmbeddedPostgres.Builder builder, Path dataDir) {
        try {
            // A kept data directory keeps the password it was made with.
            Path passwordFile = dataDir == null ? null : dataDir.resolveSibling(dataDir.getFileName() + ".superuser");
            String password = passwordFile != null && Files.exists(passwordFile)
                    ? Files.readString(passwordFile)
                    : UUID.randomUUID().toString();
            Path pwfile = Files.createTempFile("pgk8s-pw-", ".txt");
            Files.writeString(pwfile, password);
            if (passwordFile != null) {
                Files.writeString(passwordFile, password);
            }
            TestPostgres server = new TestPostgres(builder
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", pwfile.toString())
                    .setConnectConfig("password", password)
                    .setRegisterShutdownHook(true)
                    .start(), password);
            Files.delete(pwfile);
            server.ensureAppRole();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureAppRole() {
        execute(superuser("postgres"), "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER
                + "') THEN CREATE ROLE " + APP_USER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
                + literal(APP_PASSWORD) + "; END IF; END $$");
    }

    public int port() {
        return postgres.getPort();
    }

    /** Settings for the app role on a database, which may not exist. */
    public ConnectionSettings settingsFor(String database) {
        return new ConnectionSettings("localhost", port(), database, APP_USER, APP_PASSWORD);
    }

    /** A new, empty database owned by the app role; settings log in as that role. */
    public ConnectionSettings newDatabase() {
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        createDatabase(name);
        return settingsFor(name);
    }

    public void createDatabase(String name) {
        execute(superuser("postgres"), "CREATE DATABASE " + name + " OWNER " + APP_USER);
    }

    /** The same database as the server's superuser: only for preparing states a test needs. */
    public ConnectionSettings admin(ConnectionSettings settings) {
        return superuser(settings.database());
    }

    private ConnectionSettings superuser(String database) {
        return new ConnectionSettings("localhost", port(), database, SUPERUSER, superuserPassword);
    }

    public static void execute(ConnectionSettings settings, String sql) {
        try (Connection c = Database.connect(settings.withConnectTimeout(5)); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
