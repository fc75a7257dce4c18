package io.learnflow.pgk8s.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.learnflow.pgk8s.db.ConnectionSettings;

/**
 * The packaged jar run as a real OS process, as an init container or a person runs it. Its stdout and
 * stderr go to files, so a test can read them while it runs and a full pipe never blocks it.
 */
public final class Pgk8sProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private final Process process;
    private final Path out;
    private final Path err;

    private Pgk8sProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static Pgk8sProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** With these environment variables besides the test runner's (PG* removed); {@code ""} stands for unset. */
    public static Pgk8sProcess start(Map<String, String> env, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run mvn package first");
        }
        List<String> command = new ArrayList<>(List.of(JAVA,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(command, env);
    }

    /**
     * A launcher script (a copy of {@code target/quarkus-app/pgk8s}) with these environment variables, started as a
     * shell or a container runtime starts it: with INT, TERM and HUP not ignored, whatever the test runner inherited.
     */
    public static Pgk8sProcess launch(Path launcher, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP", launcher.toString()));
        command.addAll(List.of(args));
        return start(command, env);
    }

    private static Pgk8sProcess start(List<String> command, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("pgk8s-", ".out");
            Path err = Files.createTempFile("pgk8s-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Only the options given here may choose the database, never the test runner's PG* variables.
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            builder.environment().putAll(env);
            return new Pgk8sProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pgk8s <command> --host .. --port .. --database .. --user .. --password .. <args>} */
    public static Pgk8sProcess start(String command, ConnectionSettings db, String... args) {
        return start(on(db, command, args));
    }

    /** {@code <command> --host .. --port .. --database .. --user .. --password .. <args>}, as arguments. */
    public static String[] on(ConnectionSettings db, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--host", db.host(), "--port", Integer.toString(db.port()),
                "--database", db.database(), "--user", db.user(), "--password", db.password()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Starts and waits for the end; see {@link #exitCode(Duration)}. */
    public static Pgk8sProcess run(Duration timeout, String command, ConnectionSettings db, String... args) {
        Pgk8sProcess process = start(command, db, args);
        process.exitCode(timeout);
        return process;
    }

    /** The exit code, once the process ends; an AssertionError (and a killed process) if it runs past the timeout. */
    public int exitCode(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("pgk8s still running after " + timeout + "; stderr: " + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The process and the processes it started, as they are now. */
    public List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(List.of(process.toHandle()));
        process.descendants().forEach(tree::add);
        return tree;
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, ...) to the process alone, as {@code kill -s} does. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL, to the processes it started too: no shutdown hook, no finally block runs in them. */
    public void kill() {
        try {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly().waitFor();
            children.forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
