package io.learnflow.pgk8s.cli;

import java.time.Duration;
import io.learnflow.pgk8s.testing.Commands;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar reads the real process environment and HOME, as a person or a Pod runs it: what in-JVM tests
 * replace with their own environment.
 */
class ConnectionProcessIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String PASSWORD = "it's $(touch pwned) \"x\" \\ ;";

    @TempDir
    Path home;

    private record Run(int exitCode, String out, String err) {
    }

    private Run pgk8s(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private String evalThenPrint(String env, String variable) throws IOException, InterruptedException {
        Commands.Result sh = Commands.run(Duration.ofSeconds(10), home,
                List.of("sh", "-c", "eval \"$1\"; printf %s \"$" + variable + "\"", "sh", env));
        assertThat(sh.exitCode()).as(sh.stderr()).isZero();
        return sh.stdout();
    }

    @Test
    @DisplayName("PG* variables and ~/.pgpass of the process reach connection -o env, which a shell evaluates back")
    void readsTheProcessEnvironmentAndHome() throws Exception {
        Path pgpass = Files.writeString(home.resolve(".pgpass"), "*:*:appdb:app:" + PASSWORD.replace("\\", "\\\\")
                + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Run run = pgk8s(Map.of("PGHOST", "h1,h2", "PGPORT", "5432,5433", "PGDATABASE", "appdb", "PGUSER", "app",
                "PGSSLMODE", "require"), "connection", "-o", "env");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(evalThenPrint(run.out(), "PGPASSWORD")).isEqualTo(PASSWORD);
        assertThat(evalThenPrint(run.out(), "PGHOST")).isEqualTo("h1,h2");
        assertThat(evalThenPrint(run.out(), "PGPORT")).isEqualTo("5432,5433");
        assertThat(evalThenPrint(run.out(), "PGSSLMODE")).isEqualTo("require");
        assertThat(home.resolve("pwned")).doesNotExist();
    }

    @Test
    @DisplayName("a ~/.pgpass others can read is ignored with libpq's warning on stderr")
    void warnsAboutAnOpenPasswordFile() throws Exception {
        Path pgpass = Files.writeString(home.resolve(".pgpass"), "*:*:*:*:from-pgpass\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        Run run = pgk8s(Map.of(), "connection", "-o", "json");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"password\":\"dev_password_change_in_prod\"");
        assertThat(run.err()).isEqualTo("WARNING: password file \"" + pgpass + "\" has group or world access;"
                + " permissions should be u=rw (0600) or less\n");
    }

    @Test
    @DisplayName("a variable pgk8s cannot honour is refused: exit 2, one line, nothing printed")
    void refusesHostaddr() throws Exception {
        Run run = pgk8s(Map.of("PGHOSTADDR", "192.0.2.1"), "connection");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: PGHOSTADDR is set, but pgk8s cannot honour it, unset it"
                + " (see README, Connection settings)\n");
    }
}
