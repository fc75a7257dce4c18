package io.learnflow.pgk8s.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.learnflow.pgk8s.testing.Commands;

/**
 * The native build's configuration stays valid: no GraalVM or Mandrel can be had here, so Quarkus prepares the
 * native-image sources and arguments ({@code -Dquarkus.native.sources-only=true}) that {@code Dockerfile.native}'s
 * builder stage compiles. Run on a copy of the project, so this build's {@code target/} is left alone.
 */
class NativeSourcesIT {
    /** What Dockerfile.native passes unless --build-arg LOCAL_POSTGRES=yes. */
    private static final String PRODUCTION_RESOURCES = "db/migration/*.sql";

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    @DisplayName("mvn package -Dnative -Dquarkus.native.sources-only=true passes, with the resources local and render read")
    void nativeSources() throws IOException {
        assertThat(resources(build("developer")))
                .as("a developer's native build: what local unpacks, and the schema render and deploy read")
                .contains("postgres-linux-x86_64\\\\.txz", "db/migration/");
    }

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    @DisplayName("Dockerfile.native's default build leaves local's PostgreSQL out and keeps the schema")
    void productionNativeSources() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile.native"));
        assertThat(dockerfile).contains("ARG LOCAL_POSTGRES=no", "resources='" + PRODUCTION_RESOURCES + "'",
                "\"-Dquarkus.native.resources.includes=$resources\"");
        assertThat(resources(build("production", "-Dquarkus.native.resources.includes=" + PRODUCTION_RESOURCES)))
                .contains("db/migration/").doesNotContain("postgres-linux");
    }

    /** The native sources of a copy of the project, built with {@code more} arguments. */
    private static Path build(String name, String... more) throws IOException {
        Path copy = Files.createDirectories(Path.of("target", "native-sources-check", name)).toAbsolutePath();
        for (String part : List.of("pom.xml", "src/main", "migrations")) {
            copyTree(Path.of(part), copy.resolve(part));
        }
        String mvn = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "package", "-Dnative",
                "-Dquarkus.native.sources-only=true", "-DskipTests"));
        command.addAll(List.of(more));
        Commands.Result build = Commands.run(Duration.ofMinutes(9), copy, command);

        assertThat(build.exitCode()).as("the native sources build:%n%s", build.output()).isZero();
        assertThat(copy.resolve("target/native-sources/native-image.args")).isRegularFile();
        return copy;
    }

    private static String resources(Path copy) throws IOException {
        try (JarFile runner = new JarFile(copy.resolve("target/native-sources/pgk8s-" + version(copy)
                + "-runner.jar").toFile())) {
            return new String(runner.getInputStream(runner.getEntry("META-INF/native-image/resource-config.json"))
                    .readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String version(Path project) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<artifactId>pgk8s</artifactId>\\s*<version>([^<]+)")
                .matcher(Files.readString(project.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
