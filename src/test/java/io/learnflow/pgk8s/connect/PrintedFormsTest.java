package io.learnflow.pgk8s.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.connect.Clients.Result;
import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.db.ConnectionOptions;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.Database;
import io.learnflow.pgk8s.db.SecuredPostgres;
import io.learnflow.pgk8s.testing.TestPostgres;

/**
 * Each printed form means to its consumer what pgk8s itself used: psql connects with {@code -o uri} and with
 * {@code -o env} evaluated by a shell, pgjdbc with {@code -o jdbc}, and each lands on the same server, database and
 * user, with the same TLS, as {@link Database#connect} did. The server checks scram-sha-256 passwords.
 */
class PrintedFormsTest {
    /** Every character that URIs, JDBC URLs, shells or libpq's parsers treat specially, but no line break. */
    private static final String PASSWORD = "p@ss:w/rd?&=#%$(id)'\"\\ ;,`x`*";
    private static final String ROLE = "printed_forms";
    /** Who and where, over what: the same line from every client. */
    private static final String WHO = "SELECT current_user || ' ' || current_database() || ' ' || "
            + "coalesce(inet_server_port()::text, 'socket') || ' ' || coalesce((SELECT ssl::text FROM pg_stat_ssl"
            + " WHERE pid = pg_backend_pid()), '?')";

    @TempDir
    Path scratch;

    @BeforeAll
    static void role() {
        SecuredPostgres.shared().createRoleAndDatabase(ROLE, PASSWORD);
    }

    private ConnectionSettings resolve(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "localhost",
                "PGPORT", Integer.toString(SecuredPostgres.shared().port()), "PGDATABASE", ROLE, "PGUSER", ROLE,
                "PGPASSWORD", PASSWORD));
        env.putAll(variables);
        return new ConnectionResolver(ConnectionEnvironment.of(env, scratch), key -> Optional.empty())
                .resolve(ConnectionOptions.NONE, warning -> {
                });
    }

    private static String pgk8s(ConnectionSettings settings) throws SQLException {
        return pgk8s(settings, WHO);
    }

    private static String pgk8s(ConnectionSettings settings, String sql) throws SQLException {
        try (var c = Database.connect(settings); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** pgk8s, psql with -o uri, psql with -o env, pgjdbc with -o jdbc: all see the same expected line. */
    private void everyFormConnects(ConnectionSettings settings, String expected) throws SQLException {
        everyFormSees(settings, WHO, expected);
    }

    private void everyFormSees(ConnectionSettings settings, String sql, String expected) throws SQLException {
        assertThat(pgk8s(settings, sql)).as("pgk8s").isEqualTo(expected);
        Result uri = Clients.psqlWithUri(ConnectionFormat.URI.render(settings), sql, scratch);
        assertThat(uri.output()).as("psql -d <uri>: " + uri.error()).isEqualTo(expected);
        Result env = Clients.psqlWithEnv(ConnectionFormat.ENV.render(settings), sql, scratch);
        assertThat(env.output()).as("psql after eval -o env: " + env.error()).isEqualTo(expected);
        assertThat(Clients.jdbc(ConnectionFormat.JDBC.render(settings), sql)).as("pgjdbc").isEqualTo(expected);
    }

    @Test
    @DisplayName("a password with special characters reaches the server the same through every form")
    void specialCharacterPassword() throws SQLException {
        ConnectionSettings settings = resolve(Map.of("PGSSLMODE", "disable"));
        everyFormConnects(settings, ROLE + " " + ROLE + " " + SecuredPostgres.shared().port() + " false");

        // The server checks it: one wrong character and psql is refused.
        ConnectionSettings wrong = resolve(Map.of("PGPASSWORD", PASSWORD + "x"));
        Result refused = Clients.psqlWithUri(ConnectionFormat.URI.render(wrong), WHO, scratch);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.error()).contains("password authentication failed");
    }

    @Test
    @DisplayName("a host list whose first host refuses lands every form on the second")
    void hostList() throws Exception {
        int refusing;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = probe.getLocalPort();
        }
        int port = SecuredPostgres.shared().port();
        ConnectionSettings settings = resolve(Map.of("PGHOST", "127.0.0.1,localhost", "PGPORT", refusing + "," + port,
                "PGSSLMODE", "disable"));
        assertThat(ConnectionFormat.URI.render(settings)).contains("@127.0.0.1:" + refusing + ",localhost:" + port + "/");
        everyFormConnects(settings, ROLE + " " + ROLE + " " + port + " false");
    }

    @Test
    @DisplayName("a socket directory: psql and pgjdbc (with junixsocket) connect over the same socket")
    void socketDirectory() throws SQLException {
        ConnectionSettings settings = resolve(Map.of("PGHOST", SecuredPostgres.shared().socketDirectory().toString()));
        everyFormConnects(settings, ROLE + " " + ROLE + " socket false");
    }

    @Test
    @DisplayName("sslmode verify-full with the CA: every form connects over TLS")
    void verifyFull() throws SQLException {
        ConnectionSettings settings = resolve(Map.of("PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", SecuredPostgres.shared().caCertificate().toString()));
        everyFormConnects(settings, ROLE + " " + ROLE + " " + SecuredPostgres.shared().port() + " true");
    }

    @Test
    @DisplayName("sslmode require: every form connects over TLS")
    void require() throws SQLException {
        ConnectionSettings settings = resolve(Map.of("PGSSLMODE", "require"));
        everyFormConnects(settings, ROLE + " " + ROLE + " " + SecuredPostgres.shared().port() + " true");
    }

    @Test
    @DisplayName("PGTARGETSESSIONATTRS read-write skips a read-only server and read-only picks it, in every form")
    void targetSessionAttrs() throws SQLException {
        String database = "target_session_attrs";
        ConnectionSettings readOnly = TestPostgres.shared().settingsFor("postgres");
        TestPostgres.shared().createDatabase(database);
        TestPostgres.execute(readOnly, "ALTER DATABASE " + database + " SET default_transaction_read_only = on");
        SecuredPostgres.shared().execute("CREATE DATABASE " + database);
        int writablePort = SecuredPostgres.shared().port();
        // One role with one password on both servers, both of which check it.
        String role = "tsa_" + ProcessHandle.current().pid();
        String create = "CREATE ROLE " + role + " LOGIN PASSWORD 'tsa-secret'";
        TestPostgres.execute(TestPostgres.shared().admin(readOnly), create);
        SecuredPostgres.shared().execute(create);
        Map<String, String> list = Map.of("PGHOST", "localhost,localhost",
                "PGPORT", readOnly.port() + "," + writablePort, "PGDATABASE", database,
                "PGUSER", role, "PGPASSWORD", "tsa-secret", "PGSSLMODE", "disable");
        String port = "SELECT inet_server_port()::text";
        everyFormSees(resolve(with(list, "PGTARGETSESSIONATTRS", "read-write")), port, Integer.toString(writablePort));
        everyFormSees(resolve(with(list, "PGTARGETSESSIONATTRS", "read-only")), port, Integer.toString(readOnly.port()));
        everyFormSees(resolve(list), port, Integer.toString(readOnly.port()));
    }

    private static Map<String, String> with(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    @Test
    @DisplayName("a client certificate from PGSSLCERT/PGSSLKEY is presented by every form")
    void clientCertificate() throws SQLException {
        SecuredPostgres server = SecuredPostgres.shared();
        ConnectionSettings settings = resolve(Map.of("PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", server.caCertificate().toString(),
                "PGSSLCERT", server.clientCertificate().toString(), "PGSSLKEY", server.clientKey().toString()));
        everyFormSees(settings, "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                "/CN=" + SecuredPostgres.CLIENT_CN);
    }

    @Test
    @DisplayName("verify-full with another CA: every form refuses the server")
    void verifyFullWrongCa() {
        ConnectionSettings settings = resolve(Map.of("PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", SecuredPostgres.shared().wrongCaCertificate().toString()));
        assertThatThrownBy(() -> pgk8s(settings)).hasMessageContaining("TLS with sslmode verify-full");
        Result uri = Clients.psqlWithUri(ConnectionFormat.URI.render(settings), WHO, scratch);
        assertThat(uri.exitCode()).isNotZero();
        assertThat(uri.error()).contains("certificate verify failed");
        Result env = Clients.psqlWithEnv(ConnectionFormat.ENV.render(settings), WHO, scratch);
        assertThat(env.error()).contains("certificate verify failed");
        assertThatThrownBy(() -> Clients.jdbc(ConnectionFormat.JDBC.render(settings), WHO))
                .hasMessageContaining("SSL");
    }
}
