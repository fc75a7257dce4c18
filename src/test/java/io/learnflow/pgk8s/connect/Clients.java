package io.learnflow.pgk8s.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The consumers of pgk8s's printed forms, for real: psql (libpq) given the URI or the shell environment, and pgjdbc
 * given the JDBC URL. psql runs without the test runner's PG* variables and with an empty HOME, so only what was
 * printed can reach it.
 */
public final class Clients {
    public static final String PSQL = "psql";

    private Clients() {
    }

    /** What psql prints for one query: exit code and the unaligned output or error. */
    public record Result(int exitCode, String output, String error) {
    }

    /** {@code psql <uri> -c <sql>}. */
    public static Result psqlWithUri(String uri, String sql, Path scratch) {
        return run(scratch, List.of(PSQL, "-X", "-w", "-tA", "-d", uri, "-c", sql));
    }

    /** {@code sh -c 'eval "$(cat env)"; psql -c <sql>'}: psql sees only the printed variables. */
    public static Result psqlWithEnv(String env, String sql, Path scratch) {
        try {
            Files.writeString(scratch.resolve("pg.env"), env + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run(scratch, List.of("sh", "-c", "eval \"$(cat pg.env)\" && exec " + PSQL + " -X -w -tA -c \"$1\"",
                "sh", sql));
    }

    /** The first column of the first row, from pgjdbc given the printed URL. */
    public static String jdbc(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Result run(Path scratch, List<String> command) {
        try {
            Path home = Files.createDirectories(scratch.resolve("empty-home"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            builder.environment().put("HOME", home.toString());
            Path out = Files.createTempFile(scratch, "psql", ".out");
            Path err = Files.createTempFile(scratch, "psql", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " still running after 30 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                    Files.readString(err, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
