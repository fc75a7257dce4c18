package io.learnflow.pgk8s.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.Pgk8sException;

/** The connection service file read as libpq reads it (libpq docs 34.17; fe-connect.c parseServiceFile). */
class ServiceFileTest {
    private static final Path FILE = Path.of("/etc/pg_service.conf");

    @Test
    @DisplayName("a section's keyword=value lines, up to the next section; the first of a keyword counts")
    void section() {
        List<String> lines = List.of("# comment", "[a]", "host=ha", "[b]", "  host=hb  ", "", "port=5433",
                "host=ignored", "options=-c x=y", "[c]", "host=hc");
        assertThat(ServiceFile.parse(FILE, lines, "b")).contains(Map.of("host", "hb", "port", "5433",
                "options", "-c x=y"));
        assertThat(ServiceFile.parse(FILE, lines, "d")).isEmpty();
    }

    @Test
    @DisplayName("a keyword pgk8s cannot honour, a nested service or a line without = is refused with its line")
    void refusals() {
        assertThatThrownBy(() -> ServiceFile.parse(FILE, List.of("[a]", "hostaddr=10.0.0.1"), "a"))
                .isInstanceOf(Pgk8sException.class)
                .hasMessageStartingWith("service file \"/etc/pg_service.conf\", line 2: pgk8s does not support"
                        + " \"hostaddr\"");
        assertThatThrownBy(() -> ServiceFile.parse(FILE, List.of("[a]", "service=b"), "a"))
                .hasMessage("service file \"/etc/pg_service.conf\", line 2: nested service specifications are not"
                        + " supported, fix the file");
        assertThatThrownBy(() -> ServiceFile.parse(FILE, List.of("[a]", "host"), "a"))
                .hasMessageContaining("line 2: syntax error");
        // Lines of other sections are not looked at.
        assertThat(ServiceFile.parse(FILE, List.of("[b]", "hostaddr=x", "[a]", "host=h"), "a")).isPresent();
    }

    @Test
    @DisplayName("the user's file wins over PGSYSCONFDIR/pg_service.conf; a service only in the latter is found there")
    void userFileFirst(@TempDir Path dir) throws IOException {
        Path user = Files.writeString(dir.resolve("user.conf"), "[both]\nhost=user\n");
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/pg_service.conf"), "[both]\nhost=system\n[sys]\nhost=system-only\n");
        ConnectionEnvironment env = ConnectionEnvironment.of(Map.of("PGSERVICEFILE", user.toString(),
                "PGSYSCONFDIR", dir.resolve("etc").toString()), dir);
        assertThat(ServiceFile.find("both", env)).containsEntry("host", "user");
        assertThat(ServiceFile.find("sys", env)).containsEntry("host", "system-only");
    }

    @Test
    @DisplayName("without PGSERVICEFILE the user's file is ~/.pg_service.conf")
    void homeFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".pg_service.conf"), "[home]\ndbname=fromhome\n");
        ConnectionEnvironment env = ConnectionEnvironment.of(Map.of("PGSYSCONFDIR", dir.toString()), dir);
        assertThat(ServiceFile.find("home", env)).containsEntry("dbname", "fromhome");
    }
}
