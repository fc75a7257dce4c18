package io.learnflow.pgk8s.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external command (openssl, hadolint, kubectl, sh) with a bound: its output goes to files, read
 * once it has ended, so neither a full pipe nor a hung command can block a test past the timeout.
 */
public final class Commands {
    private Commands() {
    }

    /** What a command printed, stdout and stderr kept apart. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Both streams, for a failure message. */
        public String output() {
            return stdout + stderr;
        }
    }

    /** @param directory the working directory, or {@code null} for the test's */
    public static Result run(Duration timeout, Path directory, List<String> command) {
        try {
            Path out = Files.createTempFile("command-", ".out");
            Path err = Files.createTempFile("command-", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(directory == null ? null : directory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " still running after " + timeout
                            + "; stderr so far: " + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, null, List.of(command));
    }
}
