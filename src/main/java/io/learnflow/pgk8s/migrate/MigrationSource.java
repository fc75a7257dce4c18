package io.learnflow.pgk8s.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    String BUNDLED_PATH = "db/migration/";

    static MigrationSource bundled() {
        return new Bundled();
    }

    static MigrationSource directory(Path dir) {
        return new Directory(dir);
    }

    /** The validated files in numeric order; throws a bad-input error if the source is unusable. */
    List<MigrationFile> files();

    /** The bytes of one of {@link #files()}; empty when there is no such file. */
    Optional<byte[]> read(String fileName);

    /** Points Flyway at this source. */
    void configure(FluentConfiguration configuration);

    String describe();

    /** The versions of {@link #files()}, ascending. */
    default List<Integer> versions() {
        return files().stream().map(MigrationFile::version).toList();
    }

    /**
     * Bundled migrations are served from the list Quarkus scanned at build time, because a native
     * image cannot scan its classpath.
     */
    record Bundled() implements MigrationSource {
        @Override
        public List<MigrationFile> files() {
            List<String> paths = resources().stream().map(LoadableResource::getRelativePath)
                    .map(p -> p.startsWith(BUNDLED_PATH) ? p.substring(BUNDLED_PATH.length()) : p).toList();
            paths.stream().filter(p -> p.contains("/")).findFirst().ifPresent(nested -> {
                throw Pgk8sException.badInput("migration " + nested + " is in a subdirectory of " + describe()
                        + ": only the top level counts; move it up, renumbered, or out of migrations/");
            });
            return MigrationFiles.validate(paths, describe());
        }

        @Override
        public Optional<byte[]> read(String fileName) {
            try (InputStream in = MigrationSource.class.getClassLoader()
                    .getResourceAsStream(BUNDLED_PATH + fileName)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
                List<Path> all = entries.toList();
                for (Path sub : all.stream().filter(Files::isDirectory).toList()) {
                    refuseNestedMigrations(sub);
                }
                return MigrationFiles.validate(all.stream().filter(p -> !Files.isDirectory(p))
                        .map(p -> p.getFileName().toString()).toList(), describe());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Flyway scans the whole tree, so a .sql file below the top level would run without pgk8s's checks. */
        private void refuseNestedMigrations(Path sub) throws IOException {
            try (Stream<Path> tree = Files.walk(sub, FileVisitOption.FOLLOW_LINKS)) {
                Optional<Path> nested = tree.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                        .endsWith(MigrationFiles.SUFFIX)).findFirst();
                if (nested.isPresent()) {
                    throw Pgk8sException.badInput("subdirectory " + dir.relativize(sub) + "/ of " + dir + " holds "
                            + dir.relativize(nested.get()) + ": only the top level counts; move its files up,"
                            + " renumbered, or out of " + dir);
                }
            }
        }

        @Override
        public Optional<byte[]> read(String fileName) {
            Path file = dir.resolve(fileName);
            try {
                return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
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
