package io.learnflow.pgk8s.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

import io.learnflow.pgk8s.Pgk8sException;
import io.quarkus.flyway.runtime.QuarkusFlywayResourceProvider;
import io.quarkus.flyway.runtime.QuarkusPathLocationScanner;

/** Where migrations come from: the set bundled in the application, or a directory chosen at run time. */
public sealed interface MigrationSource {
    /** The location Quarkus pre-scans at build time (quarkus.flyway.locations). */
    String BUNDLED_LOCATION = "classpath:db/migration";

    static MigrationSource bundled() {
        return new Bundled();
    }

    static MigrationSource directory(Path dir) {
        return new Directory(dir);
    }

    /** The validated files in numeric order; throws a bad-input error if the source is unusable. */
    List<MigrationFile> files();

    /** Points Flyway at this source. */
    void configure(FluentConfiguration configuration);

    String describe();

    default int newestVersion() {
        List<MigrationFile> files = files();
        return files.get(files.size() - 1).version();
    }

    /**
     * Bundled migrations are served from the list Quarkus scanned at build time, because a native
     * image cannot scan its classpath.
     */
    record Bundled() implements MigrationSource {
        @Override
        public List<MigrationFile> files() {
            return MigrationFiles.validate(resources().stream().map(LoadableResource::getFilename).toList(), describe());
        }

        @Override
        public void configure(FluentConfiguration configuration) {
            ClassProvider<JavaMigration> noJavaMigrations = List::of;
            configuration.locations(BUNDLED_LOCATION)
                    .resourceProvider(new QuarkusFlywayResourceProvider(resources()))
                    .javaMigrationClassProvider(noJavaMigrations);
        }

        private List<LoadableResource> resources() {
            FluentConfiguration scanConfig = new FluentConfiguration().locations(BUNDLED_LOCATION);
            return List.copyOf(new QuarkusPathLocationScanner(scanConfig, List.of(new Location(BUNDLED_LOCATION)))
                    .scanForResources());
        }

        @Override
        public String describe() {
            return "the bundled migrations";
        }
    }

    record Directory(Path dir) implements MigrationSource {
        @Override
        public List<MigrationFile> files() {
            if (!Files.exists(dir)) {
                throw Pgk8sException.badInput("migrations directory " + dir + " does not exist: "
                        + "pass --migrations DIR with NNN_description.sql files");
            }
            if (!Files.isDirectory(dir)) {
                throw Pgk8sException.badInput(dir + " is not a directory: pass --migrations DIR with NNN_description.sql files");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                return MigrationFiles.validate(
                        entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList(), describe());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void configure(FluentConfiguration configuration) {
            configuration.locations("filesystem:" + dir.toAbsolutePath());
        }

        @Override
        public String describe() {
            return dir.toString();
        }
    }
}
