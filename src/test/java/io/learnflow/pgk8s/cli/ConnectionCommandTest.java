package io.learnflow.pgk8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.SecuredPostgres;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The connection settings through the CLI inside Quarkus: the resolver's environment, refusals, socket dirs. */
@QuarkusMainTest
class ConnectionCommandTest {

    @Test
    @DisplayName("in-JVM tests read PG* variables from the test environment bean, never the process's")
    void variablesComeFromTheTestEnvironment(QuarkusMainLauncher launcher) {
        // PGPASSFILE is set only in InJvmTestEnvironment: with the process's environment the dev password shows.
        LaunchResult result = launcher.launch("connection", "--host", InJvmTestEnvironment.PASSFILE_HOST, "-o", "env");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutputStream()).contains("export PGPASSWORD='" + InJvmTestEnvironment.PASSFILE_PASSWORD
                + "'");
    }

    @Test
    @DisplayName("in-JVM tests read ~/ files (root.crt, .pgpass) from the test environment's home")
    void homeComesFromTheTestEnvironment(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("connection", "--sslmode", "verify-full", "-o", "env-file");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutputStream()).contains("PGSSLMODE=verify-full")
                .anyMatch(line -> line.matches("PGSSLROOTCERT=.*pgk8s-test-home.*/\\.postgresql/root\\.crt"));
    }

    @Test
    @DisplayName("-o env-file refuses a password with a line break: exit 2, one line, no password shown")
    void envFileRefusesLineBreaks(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("connection", "--password", "secret\nline", "-o", "env-file");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getOutput()).isEmpty();
        assertThat(result.getErrorStream()).containsExactly("error: PGPASSWORD holds a line break, which an env file"
                + " cannot carry; use -o env (shell-quoted) or -o json instead");
    }

    @Test
    @DisplayName("settings that cannot be honoured are refused at once with exit 2 and one line")
    void refusals(QuarkusMainLauncher launcher) {
        assertRefused(launcher.launch("connection", "-o", "yaml"), "error: output format 'yaml' is not one of text,"
                + " json, env, env-file, jdbc, uri, pass -o with one of them");
        assertRefused(launcher.launch("verify", "--sslmode", "on"), "error: sslmode 'on' is not an sslmode,"
                + " use one of disable, allow, prefer, require, verify-ca, verify-full");
        assertRefused(launcher.launch("wait", "--host", "h1,h2", "--port", "1,2,3", "--timeout", "60"),
                "error: could not match 3 port numbers to 2 hosts, give one port for all hosts or one per host");
        assertRefused(launcher.launch("migrate", "--connect-timeout", "soon"), "error: connect timeout 'soon' is not"
                + " a whole number of seconds, give seconds (0 waits without limit)");
    }

    private static void assertRefused(LaunchResult result, String line) {
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorStream()).containsExactly(line);
    }

    @Test
    @DisplayName("migrate and wait reach a database through a socket directory in --host")
    void socketDirectory(QuarkusMainLauncher launcher) {
        SecuredPostgres server = SecuredPostgres.shared();
        server.createRoleAndDatabase("over_socket", "socket pw: 'q'");
        ConnectionSettings db = new ConnectionSettings("localhost", server.port(), "over_socket", "over_socket",
                "socket pw: 'q'");
        String[] options = { "--host", server.socketDirectory().toString(), "--port", Integer.toString(db.port()),
                "--database", db.database(), "--user", db.user(), "--password", db.password() };
        LaunchResult migrate = launcher.launch(with("migrate", options));
        assertThat(migrate.exitCode()).as(migrate.getErrorOutput()).isZero();
        assertThat(migrate.getOutput()).isEqualTo("applied 1 migration, now at version 1");
        LaunchResult wait = launcher.launch(with("wait", options, "--timeout", "10"));
        assertThat(wait.exitCode()).as(wait.getErrorOutput()).isZero();
        assertThat(wait.getOutput()).isEqualTo("ready: over_socket at version 1");
    }

    @Test
    @DisplayName("connection's help says which env format is for a shell and which for env files")
    void helpExplainsTheEnvFormats(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("connection", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("text, json, env, env-file, jdbc or uri", "eval", "--env-file",
                "--sslmode", "--connect-timeout");
    }

    private static String[] with(String command, String[] options, String... more) {
        String[] all = new String[1 + options.length + more.length];
        all[0] = command;
        System.arraycopy(options, 0, all, 1, options.length);
        System.arraycopy(more, 0, all, 1 + options.length, more.length);
        return all;
    }
}
