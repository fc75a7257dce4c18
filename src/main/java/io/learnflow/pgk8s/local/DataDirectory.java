package io.learnflow.pgk8s.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * Checks a {@code local --data} directory before PostgreSQL starts on it, and recovers one that a killed
 * {@code local} left: its server still running (stopped here), or a stale {@code postmaster.pid} (removed).
 */
final class DataDirectory {
    static final String MAJOR_VERSION = "16";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private DataDirectory() {
    }

    /** Throws a bad-input error for a path that cannot hold this PostgreSQL's data; nothing is changed. */
    static void check(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw Pgk8sException.badInput("--data " + dir + " is a file: give a directory, new or made by pgk8s local");
        }
        Path version = dir.resolve("PG_VERSION");
        if (Files.isRegularFile(version)) {
            String major = read(version).strip();
            if (!major.equals(MAJOR_VERSION)) {
                throw Pgk8sException.badInput("--data " + dir + " holds PostgreSQL " + major + " data, and local runs "
                        + MAJOR_VERSION + ": give another directory, or upgrade the data with pg_upgrade");
            }
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw Pgk8sException.badInput("--data " + dir + " is not empty and is not a PostgreSQL data directory"
                        + " (no PG_VERSION): give an empty or new directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code local} killed with SIGKILL leaves its postmaster running, which holds the directory: it is
     * stopped (SIGTERM, PostgreSQL's smart shutdown). A pid file whose process is gone, or is not this
     * directory's postgres, is stale: it is removed, so a reused pid does not block the start.
     */
    static void recover(Path dir, Consumer<String> log) {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = read(pidFile).lines().toList();
        Optional<ProcessHandle> server = lines.isEmpty() ? Optional.empty()
                : parsePid(lines.get(0)).flatMap(ProcessHandle::of).filter(p -> servesDirectory(p, dir));
        if (server.isPresent()) {
            long pid = server.get().pid();
            log.accept("stopping the PostgreSQL (pid " + pid + ") that an earlier local left running on " + dir);
            fastShutdown(pid);
            try {
                server.get().onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Pgk8sException.failed("interrupted while stopping PostgreSQL pid " + pid);
            } catch (ExecutionException | TimeoutException e) {
                throw Pgk8sException.failed("PostgreSQL pid " + pid + " on " + dir + " did not stop within "
                        + STOP_WAIT.toSeconds() + "s: stop it with kill -INT " + pid + ", then run local again");
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGINT is PostgreSQL's fast shutdown: it ends client sessions. SIGTERM (smart) would wait for every client
     * of the orphaned server to leave; Java can only send SIGTERM or SIGKILL itself.
     */
    private static void fastShutdown(long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a data directory made earlier asks for passwords (pgk8s's own) or trusts (an older local). */
    static boolean checksPasswords(Path dir) {
        Path hba = dir.resolve("pg_hba.conf");
        return Files.isRegularFile(hba) && read(hba).lines().map(String::strip)
                .filter(l -> !l.startsWith("#") && !l.isEmpty()).noneMatch(l -> l.endsWith("trust"));
    }

    private static boolean servesDirectory(ProcessHandle process, Path dir) {
        String commandLine = process.info().commandLine().orElse("");
        return commandLine.contains("postgres") && commandLine.contains(dir.toAbsolutePath().toString());
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
