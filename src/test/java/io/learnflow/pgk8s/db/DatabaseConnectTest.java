package io.learnflow.pgk8s.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.testing.TestPostgres;

/**
 * What {@link Database} does with resolved settings, on a real PostgreSQL 16 with TLS, scram-sha-256 and a socket
 * directory of its own: the settings come from libpq's variables through {@link ConnectionResolver}.
 */
class DatabaseConnectTest {
    private static final String SSL = "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    @TempDir
    Path home;

    private ConnectionSettings resolve(Map<String, String> variables) {
        SecuredPostgres server = SecuredPostgres.shared();
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "localhost", "PGPORT", Integer.toString(server.port()),
                "PGDATABASE", "postgres", "PGUSER", SecuredPostgres.SUPERUSER,
                "PGPASSWORD", SecuredPostgres.SUPERUSER_PASSWORD));
        env.putAll(variables);
        return new ConnectionResolver(ConnectionEnvironment.of(env, home), key -> Optional.empty())
                .resolve(ConnectionOptions.NONE, warning -> {
                });
    }

    private static String query(ConnectionSettings settings, String sql) throws SQLException {
        try (Connection c = Database.connect(settings); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    @DisplayName("sslmode require encrypts: pg_stat_ssl says so; disable does not")
    void requireEncrypts() throws SQLException {
        assertThat(query(resolve(Map.of("PGSSLMODE", "require")), SSL)).isEqualTo("true");
        assertThat(query(resolve(Map.of("PGSSLMODE", "disable")), SSL)).isEqualTo("false");
    }

    @Test
    @DisplayName("verify-full with the server's CA as PGSSLROOTCERT connects over TLS")
    void verifyFull() throws SQLException {
        ConnectionSettings s = resolve(Map.of("PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", SecuredPostgres.shared().caCertificate().toString()));
        assertThat(query(s, SSL)).isEqualTo("true");
    }

    @Test
    @DisplayName("verify-full with another CA fails, naming the mode, the root certificate and the reason")
    void verifyFullWrongCa() {
        Path wrong = SecuredPostgres.shared().wrongCaCertificate();
        ConnectionSettings s = resolve(Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", wrong.toString()));
        assertThatThrownBy(() -> query(s, SSL)).isInstanceOf(SQLException.class)
                .hasMessageStartingWith("TLS with sslmode verify-full against root certificate " + wrong + " failed: ")
                .hasMessageContaining("certification path");
    }

    @Test
    @DisplayName("verify-full checks the host name (the certificate names localhost only), verify-ca does not")
    void verifyFullChecksTheName() throws SQLException {
        String ca = SecuredPostgres.shared().caCertificate().toString();
        ConnectionSettings byAddress = resolve(Map.of("PGHOST", "127.0.0.1", "PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", ca));
        assertThatThrownBy(() -> query(byAddress, SSL)).isInstanceOf(SQLException.class)
                .hasMessageContaining("127.0.0.1");
        assertThat(query(resolve(Map.of("PGHOST", "127.0.0.1", "PGSSLMODE", "verify-ca", "PGSSLROOTCERT", ca)), SSL))
                .isEqualTo("true");
    }

    @Test
    @DisplayName("require with ~/.postgresql/root.crt verifies against it, as libpq's require does")
    void requireUsesRootCertificateFromHome() throws IOException, SQLException {
        Files.createDirectories(home.resolve(".postgresql"));
        Files.copy(SecuredPostgres.shared().wrongCaCertificate(), home.resolve(".postgresql/root.crt"));
        assertThatThrownBy(() -> query(resolve(Map.of("PGSSLMODE", "require")), SSL))
                .hasMessageStartingWith("TLS with sslmode verify-ca against root certificate "
                        + home.resolve(".postgresql/root.crt"));
        Files.copy(SecuredPostgres.shared().caCertificate(), home.resolve(".postgresql/root.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(query(resolve(Map.of("PGSSLMODE", "require")), SSL)).isEqualTo("true");
    }

    @Test
    @DisplayName("PGSSLCERT and PGSSLKEY send a client certificate: the server sees its subject")
    void clientCertificate() throws SQLException {
        SecuredPostgres server = SecuredPostgres.shared();
        String subject = "SELECT coalesce(client_dn, 'none') FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
        ConnectionSettings s = resolve(Map.of("PGSSLMODE", "require", "PGSSLCERT", server.clientCertificate().toString(),
                "PGSSLKEY", server.clientKey().toString()));
        assertThat(query(s, subject)).isEqualTo("/CN=" + SecuredPostgres.CLIENT_CN);
        assertThat(query(resolve(Map.of("PGSSLMODE", "require")), subject)).isEqualTo("none");
    }

    @Test
    @DisplayName("sslmode require against a server without TLS fails at once, saying so")
    void requireWithoutServerTls() {
        ConnectionSettings plain = TestPostgres.shared().settingsFor("postgres");
        ConnectionSettings s = resolve(Map.of("PGPORT", Integer.toString(plain.port()), "PGSSLMODE", "require",
                "PGUSER", plain.user(), "PGPASSWORD", plain.password()));
        long start = System.nanoTime();
        assertThatThrownBy(() -> query(s, SSL)).isInstanceOf(SQLException.class)
                .hasMessageContaining("The server does not support SSL");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("a socket directory in PGHOST connects over the Unix socket, password checked")
    void socketDirectory() throws SQLException {
        String dir = SecuredPostgres.shared().socketDirectory().toString();
        ConnectionSettings s = resolve(Map.of("PGHOST", dir));
        assertThat(query(s, "SELECT (inet_server_addr() IS NULL)::text")).isEqualTo("true");
        ConnectionSettings wrong = resolve(Map.of("PGHOST", dir, "PGPASSWORD", "wrong"));
        assertThatThrownBy(() -> query(wrong, "SELECT 1")).hasMessageContaining("password authentication failed");
    }

    @Test
    @DisplayName("a socket directory with no server fails at once, naming the socket file")
    void socketDirectoryWithoutServer(@TempDir Path empty) {
        ConnectionSettings s = resolve(Map.of("PGHOST", empty.toString(), "PGPORT", "5999"));
        assertThatThrownBy(() -> query(s, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(DbErrors.describe(e, s)).isEqualTo("connection refused at "
                        + empty.resolve(".s.PGSQL.5999")));
    }

    @Test
    @DisplayName("a host list skips a refusing host and a silent one (after connect_timeout), as libpq does")
    void hostList() throws Exception {
        int port = SecuredPostgres.shared().port();
        int refusing;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = probe.getLocalPort();
        }
        ConnectionSettings s = resolve(Map.of("PGHOST", "127.0.0.1,localhost", "PGPORT", refusing + "," + port));
        assertThat(query(s, "SELECT inet_server_port()::text")).isEqualTo(Integer.toString(port));

        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConnectionSettings afterSilent = resolve(Map.of("PGHOST", "127.0.0.1,localhost",
                    "PGPORT", silent.getLocalPort() + "," + port, "PGCONNECT_TIMEOUT", "2"));
            long start = System.nanoTime();
            assertThat(query(afterSilent, "SELECT inet_server_port()::text")).isEqualTo(Integer.toString(port));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900),
                    Duration.ofSeconds(4));
        }
    }

    @Test
    @DisplayName("the server sees application_name pgk8s, or PGAPPNAME, and PGOPTIONS")
    void applicationNameAndOptions() throws SQLException {
        String name = "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()";
        assertThat(query(resolve(Map.of()), name)).isEqualTo("pgk8s");
        assertThat(query(resolve(Map.of("PGAPPNAME", "billing")), name)).isEqualTo("billing");
        assertThat(query(resolve(Map.of("PGOPTIONS", "-c search_path=elsewhere")), "SHOW search_path"))
                .isEqualTo("elsewhere");
    }
}
