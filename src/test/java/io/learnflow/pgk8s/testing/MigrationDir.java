package io.learnflow.pgk8s.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A migrations directory a test writes files into; starts with a copy of the project's migrations/ if asked. */
public final class MigrationDir {
    public static final Path PROJECT_MIGRATIONS = Path.of("migrations");

    private final Path dir;

    private MigrationDir(Path dir) {
        this.dir = dir;
    }

    public static MigrationDir empty(Path parent) {
        return new MigrationDir(parent);
    }

    /** The project's real migrations, copied so a test may add or edit files. */
    public static MigrationDir withProjectMigrations(Path parent) {
        MigrationDir migrations = new MigrationDir(parent);
        try (var files = Files.list(PROJECT_MIGRATIONS)) {
            for (Path file : files.toList()) {
                Files.copy(file, parent.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return migrations;
    }

    public MigrationDir write(String fileName, String sql) {
        try {
            Files.writeString(dir.resolve(fileName), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Path path() {
        return dir;
    }
}
