package io.learnflow.pgk8s.connect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.output.Json;

/**
 * How {@code pgk8s connection} renders settings; {@link #TEXT} is the spec's section 8.5 block. Each machine format
 * means to its consumer what pgk8s itself uses: {@link #URI} to libpq, {@link #JDBC} to pgjdbc, {@link #ENV} to a
 * POSIX shell, {@link #ENV_FILE} to {@code docker run --env-file} and Kubernetes' {@code --from-env-file}.
 */
public enum ConnectionFormat {
    TEXT("text"), JSON("json"),
    /** {@code export NAME='value'} lines, safe to {@code eval} or {@code source} whatever the values hold. */
    ENV("env"),
    /** {@code NAME=value} lines, unquoted as env files take them; a value with a line break is refused. */
    ENV_FILE("env-file"),
    JDBC("jdbc"), URI("uri");

    /** What stands for a password that is not shown. */
    public static final String MASK = "********";

    private final String label;

    ConnectionFormat(String label) {
        this.label = label;
    }

    /** The name {@code -o} takes. */
    public String label() {
        return label;
    }

    public static String labels() {
        return Arrays.stream(values()).map(ConnectionFormat::label).collect(Collectors.joining(", "));
    }

    /** @throws Pgk8sException exit 2 for a name that is not a format */
    public static ConnectionFormat parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.label.equals(wanted)).findFirst()
                .orElseThrow(() -> Pgk8sException.badInput("output format '" + text + "' is not one of " + labels()
                        + ", pass -o with one of them"));
    }

    public String render(ConnectionSettings s) {
        return switch (this) {
            case TEXT -> text(s, s.password());
            case JSON -> Json.write(fields(s));
            case ENV -> s.libpqEnvironment().entrySet().stream()
                    .map(e -> "export " + e.getKey() + "=" + shellQuote(e.getValue()))
                    .collect(Collectors.joining("\n"));
            case ENV_FILE -> s.libpqEnvironment().entrySet().stream()
                    .map(e -> e.getKey() + "=" + envFileValue(e.getKey(), e.getValue()))
                    .collect(Collectors.joining("\n"));
            case JDBC -> s.jdbcUrlWithCredentials();
            case URI -> s.uri();
        };
    }

    /**
     * Renders without the password: text masks it, in its line and in the URI; every other format exists to carry
     * it, so it is refused.
     *
     * @throws Pgk8sException exit 2 for a format other than text
     */
    public String renderHidingPassword(ConnectionSettings s) {
        if (this != TEXT) {
            throw Pgk8sException.badInput("-o " + label + " prints the password of a prod Secret, add --show-secret"
                    + " to print it");
        }
        return text(s.withPassword(MASK), MASK + " (--show-secret)");
    }

    private static String text(ConnectionSettings s, String password) {
        return "Host: " + s.host() + "\n"
                + "Port: " + s.ports() + "\n"
                + "Database: " + s.database() + "\n"
                + "User: " + s.user() + "\n"
                + "Password: " + password + "\n"
                + "Connection String: " + s.uri();
    }

    /** POSIX shell single quotes: nothing inside is special; a quote is closed, escaped and reopened. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String envFileValue(String name, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            // The value is not echoed: it may be the password.
            throw Pgk8sException.badInput(name + " holds a line break, which an env file cannot carry;"
                    + " use -o env (shell-quoted) or -o json instead");
        }
        return value;
    }

    private static Map<String, Object> fields(ConnectionSettings s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", s.host());
        map.put("port", s.port());
        map.put("database", s.database());
        map.put("user", s.user());
        map.put("password", s.password());
        map.put("sslmode", s.tls().mode().libpqName());
        List<Map<String, Object>> servers = new ArrayList<>();
        s.servers().forEach(server -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("host", server.host());
            entry.put("port", server.port());
            servers.add(entry);
        });
        map.put("servers", servers);
        map.put("uri", s.uri());
        map.put("jdbcUrl", s.jdbcUrlWithCredentials());
        return map;
    }
}
