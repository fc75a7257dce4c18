package io.learnflow.pgk8s.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * libpq's connection service file (libpq docs 34.17, "The Connection Service File"), read as libpq's
 * {@code parseServiceInfo} reads it: the user's file ({@code PGSERVICEFILE}, else {@code ~/.pg_service.conf}) first,
 * then {@code pg_service.conf} in {@code PGSYSCONFDIR}; INI sections named by service; {@code keyword=value} lines,
 * the first of a keyword counting; blank lines and {@code #} comments skipped.
 */
public final class ServiceFile {
    /** libpq's compile-time SYSCONFDIR as Debian builds it, used when PGSYSCONFDIR is unset. */
    public static final String DEFAULT_SYSCONFDIR = "/etc/postgresql-common";

    /** The libpq keywords pgk8s honours in a service section; any other line is refused. */
    public static final Set<String> KEYWORDS = Set.of("host", "port", "dbname", "user", "password", "passfile",
            "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", "options",
            "target_session_attrs");

    private ServiceFile() {
    }

    /**
     * The settings of a service, by libpq keyword.
     *
     * @throws Pgk8sException (exit 2) when no file defines the service, or its section has a line pgk8s cannot use
     */
    public static Map<String, String> find(String service, ConnectionEnvironment env) {
        String userFile = env.variable("PGSERVICEFILE");
        Path user = userFile != null ? Path.of(userFile)
                : env.home() == null ? null : env.home().resolve(".pg_service.conf");
        if (user != null && Files.isRegularFile(user)) {
            Optional<Map<String, String>> found = parse(user, read(user), service);
            if (found.isPresent()) {
                return found.get();
            }
        }
        String sysconfdir = env.variable("PGSYSCONFDIR");
        Path system = Path.of(sysconfdir != null ? sysconfdir : DEFAULT_SYSCONFDIR, "pg_service.conf");
        if (Files.isRegularFile(system)) {
            Optional<Map<String, String>> found = parse(system, read(system), service);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw Pgk8sException.badInput("definition of service \"" + service + "\" not found in "
                + (user == null ? "" : user + " or ") + system + ", define it there or unset PGSERVICE");
    }

    /** The service's section of one file, or empty when the file has none. */
    static Optional<Map<String, String>> parse(Path file, List<String> lines, String service) {
        Map<String, String> settings = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (settings != null) {
                    break;
                }
                if (line.equals("[" + service + "]")) {
                    settings = new LinkedHashMap<>();
                }
                continue;
            }
            if (settings == null) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw refuse(file, number, "syntax error, expected keyword=value");
            }
            String keyword = line.substring(0, equals);
            if (keyword.equals("service")) {
                throw refuse(file, number, "nested service specifications are not supported");
            }
            if (!KEYWORDS.contains(keyword)) {
                throw refuse(file, number, "pgk8s does not support \"" + keyword + "\" (it honours "
                        + String.join(", ", KEYWORDS.stream().sorted().toList()) + ")");
            }
            settings.putIfAbsent(keyword, line.substring(equals + 1));
        }
        return Optional.ofNullable(settings);
    }

    private static Pgk8sException refuse(Path file, int line, String what) {
        return Pgk8sException.badInput("service file \"" + file + "\", line " + line + ": " + what + ", fix the file");
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Pgk8sException.badInput("cannot read service file \"" + file + "\" (" + e.getMessage()
                    + "), make it readable or unset PGSERVICE");
        }
    }
}
