package io.learnflow.pgk8s.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Java 25 (or newer) JDK that the production JVM image runs on, for the tests of its AOT cache: {@code
 * PGK8S_JDK25_HOME}, else the newest one under {@code /usr/lib/jvm} (where this project's machines have Temurin 25
 * beside Java 17). The same search as {@code src/test/realnode/images.sh}.
 */
public final class Jdk25 {
    private static final int FEATURE = 25;
    private static final Path JVMS = Path.of("/usr/lib/jvm");

    private Jdk25() {
    }

    /** @throws IllegalStateException with what to install, when there is none */
    public static Path home() {
        String configured = System.getenv("PGK8S_JDK25_HOME");
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured);
        }
        return find().orElseThrow(() -> new IllegalStateException("no JDK " + FEATURE + " or newer in " + JVMS
                + ": install one (e.g. Temurin " + FEATURE + ") or set PGK8S_JDK25_HOME"));
    }

    /** @return the JAVA_VERSION of its {@code release} file, e.g. {@code 25.0.3} */
    public static String version(Path home) throws IOException {
        return Files.readAllLines(home.resolve("release")).stream()
                .filter(line -> line.startsWith("JAVA_VERSION="))
                .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                .findFirst().orElseThrow(() -> new IOException("no JAVA_VERSION in " + home.resolve("release")));
    }

    private static Optional<Path> find() {
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && feature(home) >= FEATURE)
                    .max(Comparator.comparingInt(Jdk25::feature));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int feature(Path home) {
        try {
            return Integer.parseInt(version(home).split("[.+-]")[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
