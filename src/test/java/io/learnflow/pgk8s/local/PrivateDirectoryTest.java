package io.learnflow.pgk8s.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;

class PrivateDirectoryTest {
    @TempDir
    Path parent;

    @Test
    @DisplayName("a new directory for the binaries is made 0700")
    void createsPrivate() throws Exception {
        Path dir = PrivateDirectory.ensure(parent.resolve("pgk8s-test"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    @DisplayName("an existing directory others may write to is refused, never used")
    void refusesShared() throws Exception {
        Path shared = Files.createDirectory(parent.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> PrivateDirectory.ensure(shared))
                .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessageContaining(shared + " is not private").hasMessageContaining("mode rwxrwxrwx");
    }
}
