package io.learnflow.pgk8s.testing.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The harness's own kubectl, of the cluster's version, run as a user runs it against the admin kubeconfig. */
public final class Kubectl {
    private Kubectl() {
    }

    /** The result of one run: output read after the process ended, from files, so no pipe can fill up. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static Result run(ControlPlane controlPlane, String... args) {
        List<String> command = new ArrayList<>(List.of(controlPlane.binary("kubectl").toString(),
                "--kubeconfig", controlPlane.kubeconfig().toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kubectl-", ".out");
            Path err = Files.createTempFile("kubectl-", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " still running after 60 s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
