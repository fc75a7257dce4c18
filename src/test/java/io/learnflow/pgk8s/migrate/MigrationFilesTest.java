package io.learnflow.pgk8s.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;

class MigrationFilesTest {

    @Test
    @DisplayName("orders migrations numerically, not alphabetically, with their .sql.conf and hidden files beside them")
    void ordersNumerically() {
        List<MigrationFile> files = MigrationFiles.validate(
                List.of("10_ten.sql", "2_two.sql", "001_one.sql", ".gitkeep", "2_two.sql.conf"), "dir");
        assertThat(files).extracting(MigrationFile::version).containsExactly(1, 2, 10);
        assertThat(files).extracting(MigrationFile::fileName).containsExactly("001_one.sql", "2_two.sql", "10_ten.sql");
    }

    static Stream<Arguments> badNames() {
        String example = "rename it to NNN_description.sql, e.g. 002_add_index.sql";
        return Stream.of(
                Arguments.of("V1__flyway_style.sql", "pgk8s names migrations without Flyway's V prefix and with one"
                        + " underscore: rename it to NNN_description.sql, e.g. 001_init.sql"),
                Arguments.of("initial.sql", "it does not start with a version number: " + example),
                Arguments.of("_001_x.sql", "it does not start with a version number: " + example),
                Arguments.of("R_x.sql", "it does not start with a version number: " + example),
                Arguments.of("001-initial.sql", "the version must be followed by _ and a description: " + example),
                Arguments.of("001_.sql", "the version must be followed by _ and a description: " + example),
                Arguments.of("001_bad name.sql", "a description holds letters, digits, _ and - and starts with a letter"
                        + " or digit: " + example),
                Arguments.of("002_x.SQL", "rename it to end in .sql, in lower case"),
                Arguments.of("000_zero.sql", "version 0 is the baseline's; number migrations from 001"),
                Arguments.of("99999999999_big.sql", "version 99999999999 is longer than schema_migrations.version"
                        + " (INTEGER) allows, at most 2147483647; renumber it"),
                Arguments.of("README.md", "it is not a migration; keep only NNN_description.sql files (and their"
                        + " .sql.conf) there"),
                Arguments.of(".002_hidden.sql", "it does not start with a version number: " + example),
                Arguments.of("003_gone.sql.conf", "it configures 003_gone.sql, which is not there; rename or remove it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    @DisplayName("every file is a migration or refused, naming it and exactly why")
    void rejectsBadNames(String name, String why) {
        assertThatThrownBy(() -> MigrationFiles.validate(List.of("001_ok.sql", name), "dir"))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("bad migration file name '" + name + "' in dir: " + why);
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
        assertThatThrownBy(() -> MigrationFiles.validate(List.of(".gitkeep"), "dir"))
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
