package io.learnflow.pgk8s.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.ConnectionSettings.Server;
import io.learnflow.pgk8s.db.ConnectionSettings.Tls;
import io.learnflow.pgk8s.db.SslMode;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.SpecOutputs;

class ConnectionFormatTest {
    private static final ConnectionSettings DEV = ConnectionSettings.defaults(Profile.DEV);
    /** Runs commands, sets other variables, or breaks naive quoting, if a format lets it. */
    static final String HOSTILE_PASSWORD = "p$(touch pwned)`touch pwned2` 'q\" \\n;\nPGUSER=evil\t$HOME*";

    @Test
    @DisplayName("the text format is exactly the spec's section 8.5 block")
    void textIsTheSpecBlock() {
        assertThat(ConnectionFormat.TEXT.render(DEV)).isEqualTo(SpecOutputs.DEV_CONNECTION);
    }

    @Test
    @DisplayName("jdbc, uri, env and json carry the same settings")
    void machineFormats() {
        assertThat(ConnectionFormat.JDBC.render(DEV)).isEqualTo("jdbc:postgresql://postgres.postgres.svc.cluster.local:5432"
                + "/learnflow?user=learnflow_user&password=dev_password_change_in_prod");
        assertThat(ConnectionFormat.URI.render(DEV)).isEqualTo("postgresql://learnflow_user:dev_password_change_in_prod"
                + "@postgres.postgres.svc.cluster.local:5432/learnflow");
        assertThat(ConnectionFormat.ENV.render(DEV)).isEqualTo("""
                export PGHOST='postgres.postgres.svc.cluster.local'
                export PGPORT='5432'
                export PGDATABASE='learnflow'
                export PGUSER='learnflow_user'
                export PGPASSWORD='dev_password_change_in_prod'
                export PGSSLMODE='prefer'""");
        assertThat(ConnectionFormat.ENV_FILE.render(DEV)).isEqualTo("""
                PGHOST=postgres.postgres.svc.cluster.local
                PGPORT=5432
                PGDATABASE=learnflow
                PGUSER=learnflow_user
                PGPASSWORD=dev_password_change_in_prod
                PGSSLMODE=prefer""");
        assertThat(ConnectionFormat.JSON.render(DEV)).startsWith("{\"host\":\"postgres.postgres.svc.cluster.local\",\"port\":5432,")
                .contains("\"sslmode\":\"prefer\"", "\"servers\":[{\"host\":\"postgres.postgres.svc.cluster.local\",\"port\":5432}]");
    }

    @Test
    @DisplayName("special characters in credentials are escaped in URLs")
    void escapesCredentials() {
        ConnectionSettings s = new ConnectionSettings("h", 1, "d b", "u@x", "p:/?&=w rd");
        assertThat(ConnectionFormat.URI.render(s)).isEqualTo("postgresql://u%40x:p%3A%2F%3F%26%3Dw%20rd@h:1/d%20b");
        assertThat(ConnectionFormat.JDBC.render(s)).isEqualTo("jdbc:postgresql://h:1/d%20b?user=u%40x&password=p%3A%2F%3F%26%3Dw%20rd");
    }

    @Test
    @DisplayName("host lists, sslmode, timeout, application name and options reach every machine format")
    void everySetting() {
        ConnectionSettings s = new ConnectionSettings(List.of(new Server("h1", 5432), new Server("::1", 5433)), "db",
                "u", "pw", new Tls(SslMode.REQUIRE, "/ca.crt", null, null), 5, "billing", "-c search_path=x",
                "read-write");
        assertThat(ConnectionFormat.URI.render(s)).isEqualTo("postgresql://u:pw@h1:5432,[::1]:5433/db?sslmode=require"
                + "&sslrootcert=%2Fca.crt&connect_timeout=5&application_name=billing&options=-c%20search_path%3Dx"
                + "&target_session_attrs=read-write");
        assertThat(ConnectionFormat.JDBC.render(s)).isEqualTo("jdbc:postgresql://h1:5432,[::1]:5433/db?user=u&password=pw"
                + "&sslmode=verify-ca&sslrootcert=%2Fca.crt&connectTimeout=5&loginTimeout=10&ApplicationName=billing"
                + "&options=-c%20search_path%3Dx&targetServerType=primary");
        assertThat(ConnectionFormat.ENV.render(s)).isEqualTo("""
                export PGHOST='h1,::1'
                export PGPORT='5432,5433'
                export PGDATABASE='db'
                export PGUSER='u'
                export PGPASSWORD='pw'
                export PGSSLMODE='require'
                export PGSSLROOTCERT='/ca.crt'
                export PGCONNECT_TIMEOUT='5'
                export PGAPPNAME='billing'
                export PGOPTIONS='-c search_path=x'
                export PGTARGETSESSIONATTRS='read-write'""");
    }

    @Test
    @DisplayName("a socket directory is a percent-encoded host for libpq and a socket factory for pgjdbc")
    void socketDirectory() {
        ConnectionSettings s = new ConnectionSettings("/var/run/postgresql", 5433, "db", "u", "pw");
        assertThat(ConnectionFormat.URI.render(s)).isEqualTo("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql:5433/db");
        assertThat(ConnectionFormat.JDBC.render(s)).isEqualTo("jdbc:postgresql://localhost:5433/db?user=u&password=pw"
                + "&socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory%24FactoryArg"
                + "&socketFactoryArg=%2Fvar%2Frun%2Fpostgresql%2F.s.PGSQL.5433&sslmode=disable");
        assertThat(ConnectionFormat.ENV.render(s)).startsWith("export PGHOST='/var/run/postgresql'\nexport PGPORT='5433'");
    }

    @Test
    @DisplayName("env quotes every value in single quotes, a quote as '\\''")
    void envQuotes() {
        assertThat(ConnectionFormat.shellQuote("it's $x")).isEqualTo("'it'\\''s $x'");
        ConnectionSettings s = new ConnectionSettings("h", 1, "d", "u", HOSTILE_PASSWORD);
        assertThat(ConnectionFormat.ENV.render(s)).contains("export PGPASSWORD='p$(touch pwned)`touch pwned2` '\\''q\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "eval \"$(cat env)\"", ". ./env" })
    @DisplayName("eval and . of -o env give the shell the exact hostile password, and run nothing")
    void envRoundTripsThroughAShell(String load, @TempDir Path dir) throws Exception {
        ConnectionSettings s = new ConnectionSettings("h", 1, "d", "u", HOSTILE_PASSWORD);
        Files.writeString(dir.resolve("env"), ConnectionFormat.ENV.render(s) + "\n");
        String printed = shell(dir, load + "; printf %s \"$PGPASSWORD\"");
        assertThat(printed).isEqualTo(HOSTILE_PASSWORD);
        assertThat(shell(dir, load + "; printf %s \"$PGUSER\"")).isEqualTo("u");
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
    }

    @Test
    @DisplayName("env-file refuses a value with a line break, without echoing it")
    void envFileRefusesLineBreaks() {
        ConnectionSettings s = new ConnectionSettings("h", 1, "d", "u", "line1\nline2");
        assertThatThrownBy(() -> ConnectionFormat.ENV_FILE.render(s)).isInstanceOf(Pgk8sException.class)
                .hasMessage("PGPASSWORD holds a line break, which an env file cannot carry; use -o env (shell-quoted)"
                        + " or -o json instead")
                .satisfies(e -> assertThat(((Pgk8sException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        ConnectionSettings spaced = new ConnectionSettings("h", 1, "d", "u", "a b'c\"$d");
        assertThat(ConnectionFormat.ENV_FILE.render(spaced)).contains("\nPGPASSWORD=a b'c\"$d\n");
    }

    @Test
    @DisplayName("-o takes the format names, env-file included; another name is bad input")
    void parse() {
        assertThat(ConnectionFormat.parse("env-file")).isEqualTo(ConnectionFormat.ENV_FILE);
        assertThat(ConnectionFormat.parse("JDBC")).isEqualTo(ConnectionFormat.JDBC);
        assertThatThrownBy(() -> ConnectionFormat.parse("yaml")).hasMessage("output format 'yaml' is not one of"
                + " text, json, env, env-file, jdbc, uri, pass -o with one of them");
    }

    /** Runs sh in dir with no PG* variables; returns stdout. */
    static String shell(Path dir, String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
