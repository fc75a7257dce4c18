package io.learnflow.pgk8s.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 16 for tests, from the same Maven Central binaries as {@code pgk8s local}.
 * {@link #shared()} is one server per test JVM; each test takes a fresh database from it.
 */
public final class TestPostgres implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final EmbeddedPostgres postgres;

    private TestPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The server shared by the whole test JVM; stopped by zonky's shutdown hook. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start(EmbeddedPostgres.builder());
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
        return start(builder);
    }

    private static TestPostgres start(EmbeddedPostgres.Builder builder) {
        try {
            return new TestPostgres(builder.setRegisterShutdownHook(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Settings for the server's superuser, on a database that does not exist yet. */
    public ConnectionSettings settingsFor(String database) {
        return new ConnectionSettings("localhost", port(), database, "postgres", "postgres");
    }

    /** A new, empty database. */
    public ConnectionSettings newDatabase() {
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        createDatabase(name);
        return settingsFor(name);
    }

    public void createDatabase(String name) {
        execute(settingsFor("postgres"), "CREATE DATABASE " + name);
    }

    public static void execute(ConnectionSettings settings, String sql) {
        try (Connection c = Database.connect(settings.withConnectTimeout(5)); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
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
