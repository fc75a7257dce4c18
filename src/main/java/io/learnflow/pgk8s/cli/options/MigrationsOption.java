package io.learnflow.pgk8s.cli.options;

import java.nio.file.Path;

import io.learnflow.pgk8s.migrate.MigrationSource;
import picocli.CommandLine.Option;

public class MigrationsOption {
    @Option(names = "--migrations", paramLabel = "DIR",
            description = "directory of NNN_description.sql files (default: the migrations bundled in pgk8s)")
    Path directory;

    public MigrationSource source() {
        return directory == null ? MigrationSource.bundled() : MigrationSource.directory(directory);
    }
}
