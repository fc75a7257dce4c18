package io.learnflow.pgk8s.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings.Server;
import io.learnflow.pgk8s.profile.Profile;

class ConnectionResolverTest {
    private static final Map<String, String> NO_ENV = Map.of();
    private static final Map<String, String> NO_CONFIG = Map.of();
    private static final Map<String, String> CONFIG = Map.of(
            "quarkus.datasource.jdbc.url", "jdbc:postgresql://db.config:7000/configdb",
            "quarkus.datasource.username", "configuser", "quarkus.datasource.password", "configpass");

    @TempDir
    Path home;
    private final List<String> warnings = new ArrayList<>();

    private ConnectionResolver resolver(Map<String, String> env, Map<String, String> config) {
        return new ConnectionResolver(ConnectionEnvironment.of(env, home), key -> Optional.ofNullable(config.get(key)));
    }

    private ConnectionSettings resolve(Map<String, String> env) {
        return resolver(env, NO_CONFIG).resolve(ConnectionOptions.NONE, warnings::add);
    }

    private ConnectionSettings resolveWithConfig(String jdbcUrl) {
        return resolver(NO_ENV, Map.of("quarkus.datasource.jdbc.url", jdbcUrl)).resolve(ConnectionOptions.NONE,
                warnings::add);
    }

    private static Pgk8sException refused(Runnable resolve) {
        try {
            resolve.run();
        } catch (Pgk8sException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e;
        }
        throw new AssertionError("expected a refusal with exit 2");
    }

    private Path write(String name, String content, String permissions) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    @DisplayName("with nothing set, the settings are the spec's dev values")
    void defaultsAreTheDevProfile() {
        ConnectionSettings s = resolve(NO_ENV);
        assertThat(s).isEqualTo(new ConnectionSettings("postgres.postgres.svc.cluster.local", 5432, "learnflow",
                "learnflow_user", "dev_password_change_in_prod"));
        assertThat(s).isEqualTo(ConnectionSettings.defaults(Profile.DEV));
        assertThat(s.connectTimeoutSeconds()).isEqualTo(2);
        assertThat(s.tls().mode()).isEqualTo(SslMode.PREFER);
        assertThat(s.effectiveApplicationName()).isEqualTo("pgk8s");
    }

    @Test
    @DisplayName("libpq environment variables override config and defaults")
    void environmentOverridesConfig() {
        Map<String, String> env = Map.of("PGHOST", "db.env", "PGPORT", "6000", "PGDATABASE", "envdb", "PGUSER", "envuser",
                "PGPASSWORD", "envpass");
        assertThat(resolver(env, CONFIG).resolve(null, null, null, null, null))
                .isEqualTo(new ConnectionSettings("db.env", 6000, "envdb", "envuser", "envpass"));
    }

    @Test
    @DisplayName("Quarkus datasource config (as Dev Services sets it) fills what the environment does not")
    void configFillsTheRest() {
        assertThat(resolver(Map.of("PGUSER", "envuser"), CONFIG).resolve(null, null, null, null, null))
                .isEqualTo(new ConnectionSettings("db.config", 7000, "configdb", "envuser", "configpass"));
    }

    @Test
    @DisplayName("command-line options override everything")
    void optionsOverrideEverything() {
        Map<String, String> env = Map.of("PGHOST", "db.env", "PGPORT", "6000", "PGSSLMODE", "require",
                "PGCONNECT_TIMEOUT", "30");
        ConnectionSettings s = resolver(env, NO_CONFIG).resolve(new ConnectionOptions("db.flag", "5555", "flagdb",
                "flaguser", "flagpass", "disable", "7"), warnings::add);
        assertThat(s.withTls(ConnectionSettings.Tls.DEFAULT).withConnectTimeout(2))
                .isEqualTo(new ConnectionSettings("db.flag", 5555, "flagdb", "flaguser", "flagpass"));
        assertThat(s.tls().mode()).isEqualTo(SslMode.DISABLE);
        assertThat(s.connectTimeoutSeconds()).isEqualTo(7);
    }

    @Test
    @DisplayName("a PGPORT that is not a port is a usage error naming the value")
    void badPort() {
        assertThat(refused(() -> resolve(Map.of("PGPORT", "fivefour"))))
                .hasMessage("port 'fivefour' is not a TCP port, give a number from 1 to 65535");
    }

    @Test
    @DisplayName("PGHOST and PGPORT lists pair up, one port serves every host, other counts are refused")
    void hostAndPortLists() {
        assertThat(resolve(Map.of("PGHOST", "h1,h2", "PGPORT", "5432,5433")).servers())
                .containsExactly(new Server("h1", 5432), new Server("h2", 5433));
        assertThat(resolve(Map.of("PGHOST", "h1,h2,h3", "PGPORT", "6000")).servers())
                .containsExactly(new Server("h1", 6000), new Server("h2", 6000), new Server("h3", 6000));
        assertThat(refused(() -> resolve(Map.of("PGHOST", "h1,h2,h3", "PGPORT", "1,2"))))
                .hasMessage("could not match 2 port numbers to 3 hosts, give one port for all hosts or one per host");
        assertThat(refused(() -> resolve(Map.of("PGHOST", "h1,,h2")))).hasMessageContaining("empty entry");
    }

    @Test
    @DisplayName("a host starting with / is a socket directory; mixed with TCP hosts it is refused")
    void socketDirectory() {
        ConnectionSettings s = resolve(Map.of("PGHOST", "/var/run/postgresql", "PGPORT", "5433"));
        assertThat(s.isSocket()).isTrue();
        assertThat(s.servers().get(0).socketFile()).isEqualTo(Path.of("/var/run/postgresql/.s.PGSQL.5433"));
        assertThat(refused(() -> resolve(Map.of("PGHOST", "/var/run/postgresql,db")))).hasMessageContaining(
                "socket directory among other hosts");
    }

    @Test
    @DisplayName("over a socket directory sslmode needs no root certificate: libpq uses no TLS there")
    void socketDirectoryIgnoresTlsFiles() {
        ConnectionSettings s = resolve(Map.of("PGHOST", "/var/run/postgresql", "PGSSLMODE", "verify-full"));
        assertThat(s.tls().mode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(s.tls().rootCert()).isNull();
        assertThat(refused(() -> resolve(Map.of("PGHOST", "db", "PGSSLMODE", "verify-full"))))
                .hasMessageContaining("needs a root certificate");
    }

    @ParameterizedTest
    @CsvSource({ "10,10", "2,2", "1,2", "0,0", "-5,0", "' 3 ',3" })
    @DisplayName("PGCONNECT_TIMEOUT as libpq reads it: 1 counts as 2, zero or negative waits without limit")
    void connectTimeout(String given, int seconds) {
        assertThat(resolve(Map.of("PGCONNECT_TIMEOUT", given)).connectTimeoutSeconds()).isEqualTo(seconds);
    }

    @Test
    @DisplayName("a connect timeout that is not whole seconds is refused")
    void badConnectTimeout() {
        assertThat(refused(() -> resolve(Map.of("PGCONNECT_TIMEOUT", "2.5")))).hasMessage(
                "connect timeout '2.5' is not a whole number of seconds, give seconds (0 waits without limit)");
    }

    @Test
    @DisplayName("PGAPPNAME and PGOPTIONS are carried to the server")
    void applicationNameAndOptions() {
        ConnectionSettings s = resolve(Map.of("PGAPPNAME", "billing", "PGOPTIONS", "-c search_path=x"));
        assertThat(s.effectiveApplicationName()).isEqualTo("billing");
        assertThat(s.options()).isEqualTo("-c search_path=x");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PGHOSTADDR=10.0.0.1", "PGSSLCRL=/crl.pem",
            "PGREQUIREAUTH=scram-sha-256", "PGGSSENCMODE=require", "PGLOADBALANCEHOSTS=random", "PGTZ=UTC",
            "PGCHANNELBINDING=require", "PGSSLMINPROTOCOLVERSION=TLSv1.3" })
    @DisplayName("a libpq variable pgk8s cannot honour is refused, never ignored")
    void refusesWhatItCannotHonour(String assignment) {
        String[] parts = assignment.split("=", 2);
        assertThat(refused(() -> resolve(Map.of(parts[0], parts[1]))))
                .hasMessageStartingWith(parts[0] + " is set, but pgk8s cannot honour it")
                .hasMessageEndingWith("unset it (see README, Connection settings)");
    }

    @Test
    @DisplayName("a refused variable at libpq's default value is accepted: it changes nothing")
    void acceptsRefusedVariablesAtTheirDefault() {
        assertThat(resolve(Map.of("PGLOADBALANCEHOSTS", "disable", "PGGSSENCMODE", "disable")))
                .isEqualTo(ConnectionSettings.defaults(Profile.DEV));
    }

    @ParameterizedTest
    @CsvSource({ "any,", "read-write,read-write", "read-only,read-only" })
    @DisplayName("PGTARGETSESSIONATTRS any, read-write and read-only are honoured")
    void targetSessionAttrs(String given, String kept) {
        assertThat(resolve(Map.of("PGTARGETSESSIONATTRS", given)).targetSessionAttrs()).isEqualTo(kept);
        assertThat(resolveWithConfig("jdbc:postgresql://h/db?targetServerType=secondary").targetSessionAttrs())
                .isEqualTo("read-only");
    }

    @ParameterizedTest
    @ValueSource(strings = { "primary", "standby", "prefer-standby", "readwrite" })
    @DisplayName("target_session_attrs that look at recovery alone are refused: pgjdbc cannot tell")
    void targetSessionAttrsRefused(String given) {
        assertThat(refused(() -> resolve(Map.of("PGTARGETSESSIONATTRS", given)))).hasMessage("target_session_attrs '"
                + given + "' is not supported by pgk8s, use any, read-write or read-only");
    }

    @Test
    @DisplayName("an unknown sslmode is refused with the six libpq names")
    void badSslMode() {
        assertThat(refused(() -> resolve(Map.of("PGSSLMODE", "on")))).hasMessage("sslmode 'on' is not an sslmode,"
                + " use one of disable, allow, prefer, require, verify-ca, verify-full");
    }

    @Test
    @DisplayName("verify-ca and verify-full need a root certificate file, and refuse at once without one")
    void verifyNeedsRootCertificate() throws IOException {
        assertThat(refused(() -> resolve(Map.of("PGSSLMODE", "verify-full"))))
                .hasMessageContaining("needs a root certificate")
                .hasMessageContaining(home.resolve(".postgresql/root.crt").toString());
        Path ca = write("ca.crt", "not checked here", "rw-------");
        ConnectionSettings s = resolve(Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", ca.toString()));
        assertThat(s.tls().rootCert()).isEqualTo(ca.toString());
        assertThat(s.tls().jdbcMode()).isEqualTo(SslMode.VERIFY_FULL);
    }

    @Test
    @DisplayName("require verifies like verify-ca when ~/.postgresql/root.crt exists, as libpq's require does")
    void requireWithRootCertificateVerifies() throws IOException {
        assertThat(resolve(Map.of("PGSSLMODE", "require")).tls().jdbcMode()).isEqualTo(SslMode.REQUIRE);
        write(".postgresql/root.crt", "ca", "rw-------");
        ConnectionSettings s = resolve(Map.of("PGSSLMODE", "require"));
        assertThat(s.tls().mode()).isEqualTo(SslMode.REQUIRE);
        assertThat(s.tls().jdbcMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(s.tls().rootCert()).isEqualTo(home.resolve(".postgresql/root.crt").toString());
    }

    @Test
    @DisplayName("a client certificate is used when its file exists: PGSSLCERT/PGSSLKEY, else ~/.postgresql/")
    void clientCertificate() throws IOException {
        assertThat(resolve(Map.of("PGSSLMODE", "require")).tls().cert()).isNull();
        Path cert = write("client.crt", "c", "rw-------");
        ConnectionSettings s = resolve(Map.of("PGSSLCERT", cert.toString(), "PGSSLKEY", "/k.key"));
        assertThat(s.tls().cert()).isEqualTo(cert.toString());
        assertThat(s.tls().key()).isEqualTo("/k.key");
        write(".postgresql/postgresql.crt", "c", "rw-------");
        assertThat(resolve(NO_ENV).tls().key()).isEqualTo(home.resolve(".postgresql/postgresql.key").toString());
    }

    @Test
    @DisplayName("with no password given, ~/.pgpass gives it; PGPASSWORD wins over it; the dev default comes last")
    void passwordFile() throws IOException {
        write(".pgpass", "db.env:5432:learnflow:learnflow_user:from-pgpass\n", "rw-------");
        assertThat(resolve(Map.of("PGHOST", "db.env")).password()).isEqualTo("from-pgpass");
        assertThat(resolve(Map.of("PGHOST", "db.env", "PGPASSWORD", "from-env")).password()).isEqualTo("from-env");
        assertThat(resolve(Map.of("PGHOST", "other")).password()).isEqualTo("dev_password_change_in_prod");
        assertThat(resolver(Map.of("PGHOST", "db.env"), Map.of("quarkus.datasource.password", "from-config"))
                .resolve(ConnectionOptions.NONE, warnings::add).password()).isEqualTo("from-config");
        assertThat(warnings).isEmpty();
    }

    @Test
    @DisplayName("PGPASSFILE names the password file; one others may read is ignored with libpq's warning")
    void passwordFileByVariable() throws IOException {
        Path file = write("secrets/pass", "*:*:*:*:from-passfile\n", "rw-r-----");
        ConnectionSettings s = resolve(Map.of("PGPASSFILE", file.toString()));
        assertThat(s.password()).isEqualTo("dev_password_change_in_prod");
        assertThat(warnings).containsExactly("WARNING: password file \"" + file + "\" has group or world access;"
                + " permissions should be u=rw (0600) or less");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(resolve(Map.of("PGPASSFILE", file.toString())).password()).isEqualTo("from-passfile");
    }

    @Test
    @DisplayName("hosts of a list that the password file gives different passwords are refused")
    void passwordFileDisagreesAcrossHosts() throws IOException {
        write(".pgpass", "h1:*:*:*:one\nh2:*:*:*:two\n", "rw-------");
        assertThat(refused(() -> resolve(Map.of("PGHOST", "h1,h2")))).hasMessageContaining("different passwords");
        write(".pgpass", "*:*:*:*:same\n", "rw-------");
        assertThat(resolve(Map.of("PGHOST", "h1,h2")).password()).isEqualTo("same");
    }

    @Test
    @DisplayName("PGSERVICE reads its section; the service overrides the environment, options override it")
    void serviceFile() throws IOException {
        Path file = write("services.conf", """
                # comment
                [other]
                host=wrong
                [billing]
                host=svc.host
                port=6543
                dbname=svcdb
                sslmode=disable
                password=svcpass
                """, "rw-r--r--");
        Map<String, String> env = Map.of("PGSERVICEFILE", file.toString(), "PGSERVICE", "billing",
                "PGHOST", "env.host", "PGUSER", "envuser");
        ConnectionSettings s = resolve(env);
        assertThat(s.servers()).containsExactly(new Server("svc.host", 6543));
        assertThat(s.database()).isEqualTo("svcdb");
        assertThat(s.user()).isEqualTo("envuser");
        assertThat(s.password()).isEqualTo("svcpass");
        assertThat(s.tls().mode()).isEqualTo(SslMode.DISABLE);
        ConnectionSettings overridden = resolver(env, NO_CONFIG).resolve(
                new ConnectionOptions("flag.host", null, null, null, null, null, null), warnings::add);
        assertThat(overridden.host()).isEqualTo("flag.host");
    }

    @Test
    @DisplayName("a service in no file is refused, naming the files looked in")
    void serviceNotFound() {
        Map<String, String> env = new HashMap<>(Map.of("PGSERVICE", "nowhere"));
        env.put("PGSYSCONFDIR", home.resolve("etc").toString());
        assertThat(refused(() -> resolve(env))).hasMessage("definition of service \"nowhere\" not found in "
                + home.resolve(".pg_service.conf") + " or " + home.resolve("etc/pg_service.conf")
                + ", define it there or unset PGSERVICE");
    }

    @Test
    @DisplayName("Quarkus's JDBC URL is read by pgjdbc's parser: host lists, IPv6, odd names, sslmode")
    void configUrlAsPgjdbcParsesIt() {
        ConnectionSettings list = resolveWithConfig("jdbc:postgresql://h1:5432,h2:5433/db?sslmode=disable&user=u");
        assertThat(list.servers()).containsExactly(new Server("h1", 5432), new Server("h2", 5433));
        assertThat(list.user()).isEqualTo("u");
        assertThat(list.tls().mode()).isEqualTo(SslMode.DISABLE);
        assertThat(resolveWithConfig("jdbc:postgresql://[::1]:6000/db").servers())
                .containsExactly(new Server("::1", 6000));
        ConnectionSettings odd = resolveWithConfig("jdbc:postgresql://my_host-1.local/d%20b?ApplicationName=svc");
        assertThat(odd.host()).isEqualTo("my_host-1.local");
        assertThat(odd.database()).isEqualTo("d b");
        assertThat(odd.effectiveApplicationName()).isEqualTo("svc");
        assertThat(resolveWithConfig("jdbc:postgresql://h/db?loggerLevel=OFF").host()).isEqualTo("h");
    }

    @Test
    @DisplayName("a JDBC URL pgjdbc cannot parse, or with a property pgk8s cannot honour, is refused")
    void configUrlRefused() {
        assertThat(refused(() -> resolveWithConfig("jdbc:mysql://h/db?password=secret")))
                .hasMessage("quarkus.datasource.jdbc.url is not a URL pgjdbc can parse, give"
                        + " jdbc:postgresql://host:port/database");
        assertThat(refused(() -> resolveWithConfig("jdbc:postgresql://h:notaport/db"))).hasMessageStartingWith(
                "quarkus.datasource.jdbc.url is not a URL pgjdbc can parse");
        assertThat(refused(() -> resolveWithConfig("jdbc:postgresql://h/db?ssl=true&service=billing")))
                .hasMessageStartingWith("quarkus.datasource.jdbc.url sets service");
        assertThat(resolveWithConfig("jdbc:postgresql://h/db?user=myservice=x").user()).isEqualTo("myservice=x");
        assertThat(refused(() -> resolveWithConfig("jdbc:postgresql://h/db?targetServerType=preferSecondary")))
                .hasMessage("quarkus.datasource.jdbc.url sets targetServerType=preferSecondary, which pgk8s cannot"
                        + " honour; use any, primary or secondary");
        assertThat(refused(() -> resolveWithConfig("jdbc:postgresql://h/db?tcpKeepAlive=true")))
                .hasMessage("quarkus.datasource.jdbc.url sets tcpKeepAlive, which pgk8s cannot honour,"
                        + " remove it from the URL");
    }
}
