package io.learnflow.pgk8s.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The password file read as libpq reads it (libpq docs 34.16; fe-connect.c passwordFromFile). */
class PasswordFileTest {

    private static String match(String file, String host, String port, String database, String user) {
        return PasswordFile.match(List.of(file.split("\n", -1)), host, port, database, user);
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @CsvSource(delimiter = '|', value = {
            "db:5432:app:alice:secret | db | 5432 | app | alice | secret",
            "*:*:*:*:any | db | 5432 | app | alice | any",
            "db:*:*:alice:pw | db | 6000 | other | alice | pw",
            "db:5432:app:bob:pw | db | 5432 | app | alice | ",
            "other:5432:app:alice:pw | db | 5432 | app | alice | ",
            "db\\:1:5432:app:alice:pw | db:1 | 5432 | app | alice | pw",
            "db:5432:app:al\\\\ice:pw | db | 5432 | app | al\\ice | pw",
            "db:5432:app:alice:p\\:w\\\\d | db | 5432 | app | alice | p:w\\d",
            "db:5432:app:alice:pw:ignored | db | 5432 | app | alice | pw",
            "\\*:5432:app:alice:pw | * | 5432 | app | alice | pw",
            "\\*:5432:app:alice:pw | db | 5432 | app | alice | ",
            "db*:5432:app:alice:pw | dbx | 5432 | app | alice | ",
            "db:5432:app:alice: | db | 5432 | app | alice | ''",
            "db:5432:app:alice | db | 5432 | app | alice | ",
    })
    @DisplayName("fields match literally or by a lone *, with \\ escaping : and \\")
    void matching(String line, String host, String port, String database, String user, String expected) {
        assertThat(match(line, host, port, database, user)).isEqualTo(expected);
    }

    @Test
    @DisplayName("the first matching line wins; # comments, blank lines and CRLF endings are handled")
    void firstMatchWins() {
        String file = "# db:5432:app:alice:commented\n\ndb:5432:app:alice:first\r\n*:*:*:*:second\n";
        assertThat(match(file, "db", "5432", "app", "alice")).isEqualTo("first");
        assertThat(match(file, "elsewhere", "5432", "app", "alice")).isEqualTo("second");
    }

    @Test
    @DisplayName("a socket connection to the default directory looks up localhost; another directory looks up itself")
    void socketDirectoryLooksUpLocalhost() {
        assertThat(PasswordFile.searchHost("/var/run/postgresql")).isEqualTo("localhost");
        assertThat(PasswordFile.searchHost("/tmp/sockets")).isEqualTo("/tmp/sockets");
        assertThat(PasswordFile.searchHost("db")).isEqualTo("db");
    }

    @Test
    @DisplayName("a file that group or others may access is ignored with libpq's warning; 0600 and 0400 are read")
    void permissions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pgpass");
        Files.writeString(file, "*:*:*:*:pw\n");
        List<String> warnings = new ArrayList<>();
        for (String loose : List.of("rw-r--r--", "rw----r--", "rw-----w-", "rwx--x---")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(loose));
            assertThat(PasswordFile.lookup(file, "db", 5432, "app", "alice", warnings::add)).as(loose).isNull();
        }
        assertThat(warnings).hasSize(4).allMatch(w -> w.equals("WARNING: password file \"" + file
                + "\" has group or world access; permissions should be u=rw (0600) or less"));
        for (String strict : List.of("rw-------", "r--------")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(strict));
            assertThat(PasswordFile.lookup(file, "db", 5432, "app", "alice", warnings::add)).isEqualTo("pw");
        }
        assertThat(warnings).hasSize(4);
    }

    @Test
    @DisplayName("a missing file is silently ignored, a directory with a warning")
    void missingOrNotAFile(@TempDir Path dir) {
        List<String> warnings = new ArrayList<>();
        assertThat(PasswordFile.lookup(dir.resolve("none"), "db", 5432, "app", "alice", warnings::add)).isNull();
        assertThat(warnings).isEmpty();
        assertThat(PasswordFile.lookup(dir, "db", 5432, "app", "alice", warnings::add)).isNull();
        assertThat(warnings).containsExactly("WARNING: password file \"" + dir + "\" is not a plain file");
    }
}
