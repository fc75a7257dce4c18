package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlywayMessagesTest {

    @Test
    @DisplayName("a multi-line Flyway message keeps every line that names a file, on one line")
    void wholeReason() {
        assertThat(MigrationService.oneLine("Invalid SQL filenames found:\n - 1.sql\r\n - x_y.sql\n\n"))
                .isEqualTo("Invalid SQL filenames found: - 1.sql - x_y.sql");
    }
}
