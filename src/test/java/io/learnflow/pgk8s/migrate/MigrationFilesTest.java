package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;

class MigrationFilesTest {

    @Test
    @DisplayName("orders migrations numerically, not alphabetically, and ignores files that are not .sql")
    void ordersNumerically() {
        List<MigrationFile> files = MigrationFiles.validate(
                List.of("10_ten.sql", "2_two.sql", "001_one.sql", "README.md", "2_two.sql.conf"), "dir");
        assertThat(files).extracting(MigrationFile::version).containsExactly(1, 2, 10);
        assertThat(files).extracting(MigrationFile::fileName).containsExactly("001_one.sql", "2_two.sql", "10_ten.sql");
    }

    @ParameterizedTest
    @ValueSource(strings = { "V1__flyway_style.sql", "initial.sql", "001-initial.sql", "001_.sql", "_001_x.sql", "R_x.sql" })
    @DisplayName("rejects a badly named file, naming it and the expected pattern")
    void rejectsBadNames(String name) {
        assertThatThrownBy(() -> MigrationFiles.validate(List.of("001_ok.sql", name), "dir"))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("bad migration file name '" + name + "' in dir: rename it to NNN_description.sql,"
                        + " e.g. 002_add_index.sql");
    }

    @Test
    @DisplayName("rejects two files with the same version even when the numbers are written differently")
    void rejectsDuplicateVersions() {
        assertThatThrownBy(() -> MigrationFiles.validate(List.of("002_a.sql", "2_b.sql"), "dir"))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("duplicate migration version 2 in dir: 002_a.sql and 2_b.sql, give each file its own number");
    }

    @Test
    @DisplayName("rejects a source with no migrations")
    void rejectsEmpty() {
        assertThatThrownBy(() -> MigrationFiles.validate(List.of("notes.txt"), "dir"))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("no migrations in dir: add files named NNN_description.sql");
    }

    @Test
    @DisplayName("the project's own migrations directory is valid and starts with the initial schema")
    void projectMigrationsAreValid() {
        List<MigrationFile> files = MigrationSource.directory(java.nio.file.Path.of("migrations")).files();
        assertThat(files.get(0)).isEqualTo(new MigrationFile(1, "001_initial_schema.sql"));
    }
}
