package io.learnflow.pgk8s.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.learnflow.pgk8s.testing.Jdk25;
import io.learnflow.pgk8s.testing.Pgk8sProcess;

/** The packaged JVM launcher {@code target/quarkus-app/pgk8s}, run as docker and the kubelet run it. */
class LauncherIT {
    private static final Path PACKAGED = Path.of("target", "quarkus-app");
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    /** A JVM shuts down in well under a second; the first run also writes its archive. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final Duration STARTED = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    /** target/quarkus-app linked into an empty directory with a copy of the launcher, so no archive exists yet. */
    private Path app;
    private Pgk8sProcess running;

    @BeforeEach
    void linkPackagedApp() throws IOException {
        if (!Files.isExecutable(PACKAGED.resolve("pgk8s"))) {
            throw new IllegalStateException(PACKAGED.resolve("pgk8s") + " is missing: run mvn package first");
        }
        app = Files.createDirectory(dir.resolve("app"));
        try (Stream<Path> entries = Files.list(PACKAGED)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals("pgk8s") && !name.contains(".jsa") && !name.contains(".aot")) {
                    Files.createSymbolicLink(app.resolve(name), entry.toAbsolutePath());
                }
            }
        }
        Files.copy(PACKAGED.resolve("pgk8s"), app.resolve("pgk8s"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    @AfterEach
    void stopRunning() {
        if (running != null) {
            running.close();
        }
    }

    @ParameterizedTest(name = "{0} on the first run, while java writes the archive, ends java promptly with {1}")
    @CsvSource({ "TERM, 143", "INT, 130" })
    void signalOnTheFirstRun(String signal, int exitCode) {
        Pgk8sProcess launcher = waitingForNothing(JAVA_HOME);
        assertThat(archives()).as("no archive before the first run ends").isEmpty();
        List<ProcessHandle> tree = launcher.tree();
        assertThat(tree).as("the shell stays, with java as its child").hasSizeGreaterThan(1);

        assertEndsPromptly(launcher, tree, signal, exitCode);
        assertThat(archives()).as("the archive is renamed into place after java ends").singleElement()
                .satisfies(archive -> assertThat(archive.getFileName().toString()).startsWith(archivePrefix()));
        assertThat(files()).as("nothing half-written is left").allMatch(name -> !name.contains(".jsa."));
    }

    @ParameterizedTest(name = "{0} on a later run, which maps the archive, ends java promptly with {1}")
    @CsvSource({ "TERM, 143", "INT, 130" })
    void signalOnALaterRun(String signal, int exitCode) throws IOException {
        assertThat(connection(JAVA_HOME).exitCode(STARTED)).isZero();
        Path archive = assertSingleArchive(archivePrefix());

        Pgk8sProcess launcher = waitingForNothing(JAVA_HOME);
        List<ProcessHandle> tree = launcher.tree();
        assertThat(tree).as("java replaces the shell").singleElement()
                .satisfies(java -> assertThat(java.info().command()).hasValueSatisfying(
                        command -> assertThat(command).endsWith("/java")));
        assertThat(Files.readString(Path.of("/proc", Long.toString(launcher.pid()), "maps")))
                .as("java maps the archive").contains(archive.toRealPath().toString());

        assertEndsPromptly(launcher, tree, signal, exitCode);
        assertThat(archives()).containsExactly(archive);
    }

    @Test
    @DisplayName("the archive is named after the JVM that wrote it; another JVM's first run replaces it")
    void archiveNamedAfterItsJvm() throws IOException {
        assertThat(connection(JAVA_HOME).exitCode(STARTED)).isZero();
        Path ours = assertSingleArchive(archivePrefix());
        FileTime written = Files.getLastModifiedTime(ours);

        assertThat(connection(JAVA_HOME).exitCode(STARTED)).isZero();
        assertThat(archives()).as("a later run of the same JVM keeps it").containsExactly(ours);
        assertThat(Files.getLastModifiedTime(ours)).isEqualTo(written);

        String upgrade = Runtime.version().feature() + ".99.1";
        assertThat(connection(otherJdk("upgraded", upgrade)).exitCode(STARTED)).isZero();
        Path upgraded = assertSingleArchive("pgk8s-" + upgrade + "-");

        assertThat(connection(otherJdk("elsewhere", upgrade)).exitCode(STARTED)).isZero();
        Path elsewhere = assertSingleArchive("pgk8s-" + upgrade + "-");
        assertThat(elsewhere).as("the same version at another path is another JVM").isNotEqualTo(upgraded);
    }

    @Test
    @DisplayName("on Java 25 the archive is an AOT cache, made in two quiet steps, and mapped by later runs")
    void aotCacheOnJava25() throws IOException {
        Path jdk25 = Jdk25.home();
        Pgk8sProcess first = connection(jdk25);
        assertThat(first.exitCode(STARTED)).isZero();
        assertThat(first.stderr().lines()).as("the first run's stderr: the recording JVM's one line")
                .singleElement().satisfies(line -> assertThat(line).contains("AOTConfiguration recorded"));
        Path cache = assertSingleArchive(archivePrefix(jdk25));
        Pgk8sProcess second = connection(jdk25);
        assertThat(second.exitCode(STARTED)).isZero();
        assertThat(second.stderr()).isEmpty();
        assertThat(first.stdout()).as("the first run's result is the same, untouched by the JVM")
                .isEqualTo(second.stdout()).startsWith("Host: ");
        assertThat(cache.getFileName().toString()).endsWith(".aot");
        assertThat(files()).as("no AOT configuration or half-written cache is left").containsOnly(
                "app", "lib", "pgk8s", "quarkus", "quarkus-app-dependencies.txt", "quarkus-run.jar",
                cache.getFileName().toString());

        Pgk8sProcess later = waitingForNothing(jdk25);
        assertThat(Files.readString(Path.of("/proc", Long.toString(later.pid()), "maps")))
                .as("java maps the AOT cache").contains(cache.toRealPath().toString());
        assertEndsPromptly(later, later.tree(), "TERM", 143);
    }

    @Test
    @DisplayName("a signal on Java 25's first run ends it at once, without making the cache")
    void signalOnJava25sFirstRun() {
        Pgk8sProcess launcher = waitingForNothing(Jdk25.home());
        assertEndsPromptly(launcher, launcher.tree(), "TERM", 143);
        assertThat(files()).as("nothing is left").allMatch(name -> !name.contains(".aot"));
    }

    @Test
    @DisplayName("a signal while Java 25 makes the cache ends the run at once, as java would, and leaves nothing")
    void signalWhileMakingTheCache() {
        Pgk8sProcess first = connection(Jdk25.home());
        await().atMost(STARTED).until(() -> first.tree().stream().anyMatch(p -> p.info().arguments()
                .map(args -> List.of(args).contains("-XX:AOTMode=create")).orElse(false)));

        assertEndsPromptly(first, first.tree(), "TERM", 143);
        assertThat(files()).as("no cache, no configuration, nothing half-written")
                .noneMatch(name -> name.contains(".aot"));
    }

    @Test
    @DisplayName("a first run removes what a killed first run left: a half-written archive or AOT configuration")
    void staleFilesRemoved() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path staleConfiguration = Files.writeString(app.resolve("pgk8s-25.0.1-1.aot." + gone.pid() + ".conf"), "");
        Path staleArchive = Files.writeString(app.resolve("pgk8s-17.0.1-1.jsa." + gone.pid()), "");
        Path running = Files.writeString(app.resolve("pgk8s-17.0.1-1.jsa." + ProcessHandle.current().pid()), "");

        assertThat(connection(JAVA_HOME).exitCode(STARTED)).isZero();

        assertThat(staleConfiguration).doesNotExist();
        assertThat(staleArchive).doesNotExist();
        assertThat(running).as("a first run still going").exists();
    }

    /** {@code pgk8s wait} against a port where nothing listens, polling until it is stopped (or closed after the test). */
    private Pgk8sProcess waitingForNothing(Path javaHome) {
        Pgk8sProcess wait = Pgk8sProcess.launch(app.resolve("pgk8s"), Map.of("JAVA_HOME", javaHome.toString()),
                "wait", "--host", "127.0.0.1", "--port", Integer.toString(freePort()), "--timeout", "600");
        running = wait;
        await().atMost(STARTED).untilAsserted(() -> assertThat(wait.stderr()).contains("connection refused"));
        return wait;
    }

    private Pgk8sProcess connection(Path javaHome) {
        return Pgk8sProcess.launch(app.resolve("pgk8s"), Map.of("JAVA_HOME", javaHome.toString()), "connection");
    }

    private static void assertEndsPromptly(Pgk8sProcess launcher, List<ProcessHandle> tree, String signal,
            int exitCode) {
        launcher.signal(signal);

        assertThat(launcher.exitCode(PROMPTLY)).as(launcher.stderr()).isEqualTo(exitCode);
        await().atMost(PROMPTLY).untilAsserted(
                () -> assertThat(tree).as("the launcher and java").noneMatch(ProcessHandle::isAlive));
    }

    /**
     * A JDK at another path, with a release file of another version, whose java runs this JVM: the launcher
     * names archives after the java binary's real path and its release file.
     */
    private Path otherJdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec '" + JAVA_HOME.resolve("bin/java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"pgk8s test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private static String archivePrefix() {
        return "pgk8s-" + System.getProperty("java.version") + "-";
    }

    private static String archivePrefix(Path javaHome) throws IOException {
        return "pgk8s-" + Jdk25.version(javaHome) + "-";
    }

    private Path assertSingleArchive(String prefix) {
        List<Path> archives = archives();
        assertThat(archives).as("archives in " + app).hasSize(1);
        assertThat(archives.get(0).getFileName().toString())
                .matches(Pattern.quote(prefix) + "[0-9]+\\.(jsa|aot)");
        return archives.get(0);
    }

    private List<Path> archives() {
        return files().stream().filter(name -> name.endsWith(".jsa") || name.endsWith(".aot")).map(app::resolve)
                .toList();
    }

    private List<String> files() {
        try (Stream<Path> entries = Files.list(app)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
