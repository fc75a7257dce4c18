package io.learnflow.pgk8s.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * libpq's password file, {@code ~/.pgpass} or {@code PGPASSFILE} (libpq docs 34.16, "The Password File"), read as
 * libpq's {@code passwordFromFile} reads it: lines {@code hostname:port:database:username:password}; a field that is
 * exactly {@code *} matches anything; {@code \} escapes {@code :} and {@code \}; lines starting with {@code #} are
 * comments; the first matching line wins. A file that is missing is ignored; one that is not a plain file, or that
 * group or others may access, is ignored with libpq's warning.
 */
public final class PasswordFile {
    /**
     * The socket directory that libpq's build was given as its default (DEFAULT_PGSOCKET_DIR). A socket connection
     * to it looks up {@code localhost}. pgk8s has no build of its own, so it takes Debian's, the libpq of psql in the
     * postgres images and on CI.
     */
    public static final String DEFAULT_SOCKET_DIRECTORY = "/var/run/postgresql";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PasswordFile() {
    }

    /**
     * The password of the first line that matches, or null.
     *
     * @param host     the host as given: a socket directory equal to {@link #DEFAULT_SOCKET_DIRECTORY} is looked up
     *                 as {@code localhost}, as libpq does
     * @param warnings receives libpq's warning for a file it ignores
     */
    public static String lookup(Path file, String host, int port, String database, String user,
            Consumer<String> warnings) {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            warnings.accept("WARNING: password file \"" + file + "\" is not a plain file");
            return null;
        }
        try {
            // stat(2) as libpq does: a symbolic link's target counts.
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                warnings.accept("WARNING: password file \"" + file + "\" has group or world access;"
                        + " permissions should be u=rw (0600) or less");
                return null;
            }
            return match(Files.readAllLines(file, StandardCharsets.UTF_8), searchHost(host), Integer.toString(port),
                    database, user);
        } catch (IOException | UnsupportedOperationException e) {
            // libpq ignores a password file it cannot open.
            return null;
        }
    }

    /** The host name libpq looks up for a host: {@code localhost} for the default socket directory. */
    static String searchHost(String host) {
        return host.equals(DEFAULT_SOCKET_DIRECTORY) ? "localhost" : host;
    }

    /** The password of the first of these lines that matches, de-escaped; null when none does. */
    static String match(List<String> lines, String host, String port, String database, String user) {
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String stripped = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (stripped.isEmpty()) {
                continue;
            }
            int at = 0;
            for (String token : new String[] { host, port, database, user }) {
                at = matchField(stripped, at, token);
                if (at < 0) {
                    break;
                }
            }
            if (at >= 0) {
                return unescapePassword(stripped.substring(at));
            }
        }
        return null;
    }

    /** libpq's pwdfMatchesString: the index after the field's colon when the field matches token, else -1. */
    private static int matchField(String line, int from, String token) {
        if (line.startsWith("*:", from)) {
            return from + 2;
        }
        int i = from;
        int t = 0;
        while (i < line.length()) {
            boolean escaped = false;
            if (line.charAt(i) == '\\') {
                i++;
                escaped = true;
                if (i >= line.length()) {
                    return -1;
                }
            }
            char c = line.charAt(i);
            if (c == ':' && t == token.length() && !escaped) {
                return i + 1;
            }
            if (t == token.length() || c != token.charAt(t)) {
                return -1;
            }
            i++;
            t++;
        }
        return -1;
    }

    /** Up to the first unescaped colon, with each backslash escape resolved. */
    private static String unescapePassword(String rest) {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < rest.length() && rest.charAt(i) != ':'; i++) {
            if (rest.charAt(i) == '\\' && i + 1 < rest.length()) {
                i++;
            }
            password.append(rest.charAt(i));
        }
        return password.toString();
    }
}
