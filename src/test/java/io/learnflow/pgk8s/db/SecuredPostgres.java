package io.learnflow.pgk8s.db;

import java.time.Duration;
import io.learnflow.pgk8s.testing.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 16 as a production server is set up: scram-sha-256 passwords over TCP and its Unix socket,
 * TLS with a certificate for {@code localhost} signed by a CA made here with openssl, and a socket directory of
 * its own. One per test JVM, stopped by zonky's shutdown hook.
 */
public final class SecuredPostgres {
    public static final String SUPERUSER = "postgres";
    public static final String SUPERUSER_PASSWORD = "superuser-secret";
    /** The subject's common name in the client certificate. */
    public static final String CLIENT_CN = "pgk8s-test-client";

    private static SecuredPostgres shared;

    private final EmbeddedPostgres postgres;
    private final Path dir;

    private SecuredPostgres(EmbeddedPostgres postgres, Path dir) {
        this.postgres = postgres;
        this.dir = dir;
    }

    public static synchronized SecuredPostgres shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static SecuredPostgres start() {
        try {
            Path dir = Files.createTempDirectory("secured-pg");
            certificates(dir);
            Path pwfile = Files.writeString(dir.resolve("pwfile"), SUPERUSER_PASSWORD + "\n");
            Path sockets = Files.createDirectories(dir.resolve("sockets"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // zonky runs initdb -A trust and then these: passwords are checked on TCP and the socket.
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("pwfile", pwfile.toString())
                    .setConnectConfig("password", SUPERUSER_PASSWORD)
                    .setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", dir.resolve("server.crt").toString())
                    .setServerConfig("ssl_key_file", dir.resolve("server.key").toString())
                    // Asks for a client certificate (not required) and shows its subject in pg_stat_ssl.
                    .setServerConfig("ssl_ca_file", dir.resolve("ca.crt").toString())
                    .setServerConfig("unix_socket_directories", sockets.toString())
                    .setRegisterShutdownHook(true)
                    .start();
            return new SecuredPostgres(postgres, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A CA; a server certificate for DNS name localhost only and a client certificate, both signed by it; and an
     * unrelated CA that signed nothing here.
     */
    private static void certificates(Path dir) throws IOException {
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost\n");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=pgk8s test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other CA",
                "-keyout", "wrong-ca.key", "-out", "wrong-ca.crt");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
                "-out", "server.csr");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.cnf", "-out", "server.crt");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + CLIENT_CN, "-keyout", "client.key",
                "-out", "client.csr");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "client.crt");
        // PostgreSQL and libpq refuse a key others may read.
        for (String key : List.of("server.key", "client.key")) {
            Files.setPosixFilePermissions(dir.resolve(key), PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(Duration.ofSeconds(60), dir, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + result.output());
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path socketDirectory() {
        return dir.resolve("sockets");
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** A client certificate signed by the server's CA, with {@link #clientKey()} (PKCS#8 PEM, mode 0600). */
    public Path clientCertificate() {
        return dir.resolve("client.crt");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    public Path wrongCaCertificate() {
        return dir.resolve("wrong-ca.crt");
    }

    /** The superuser over TCP to localhost, libpq's default sslmode (prefer). */
    public ConnectionSettings superuser(String database) {
        return new ConnectionSettings("localhost", port(), database, SUPERUSER, SUPERUSER_PASSWORD);
    }

    /** A login role with this password and a database it owns, named after the role. */
    public void createRoleAndDatabase(String role, String password) {
        execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        execute("CREATE DATABASE " + role + " OWNER " + role);
    }

    public void execute(String sql) {
        try (Connection c = Database.connect(superuser("postgres").withConnectTimeout(10));
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
