package io.learnflow.pgk8s.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.util.TreeMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.learnflow.pgk8s.db.LearnFlowSchema;

/**
 * The real-node tier's images ({@code src/test/realnode/images.sh}), run by the tier's own podman the way its pods
 * run them: PostgreSQL as uid 70 on a read-only root with emptyDir-like tmpfs mounts and an fsGroup-like volume,
 * pgk8s on a read-only root with nothing writable at all. No Kubernetes; host networking, each server on a free port.
 */
class ImagesIT {
    private static final Path IMAGES = Path.of("src", "test", "realnode", "images.sh");
    private static final Pattern IMAGE_LINE = Pattern.compile("^image (localhost/pgk8s/([a-z0-9-]+):\\S+) (/\\S+)$",
            Pattern.MULTILINE);
    /** A cold build of every image takes one to a few minutes (debootstrap, apt); a warm run about a second. */
    private static final Duration BUILD = Duration.ofMinutes(15);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    /** The pgk8s image's base in this tier (images.sh builds it). */
    private static final String JRE = "localhost/pgk8s/jre:25";
    /** initdb, the init scripts and the start take 2 to 5 s here. */
    private static final Duration READY = Duration.ofSeconds(60);
    private static final int POSTGRES_UID = 70;
    private static final String USER = "learnflow_user";
    private static final String DATABASE = "learnflow";
    /** Passed as one argument each time, never through a shell: quotes and $ must arrive as they are. */
    private static final String PASSWORD = "it's \"a\" $ecret";
    private static final String INIT_SQL = """
            CREATE SCHEMA initcheck;
            CREATE TABLE initcheck.runs (n serial PRIMARY KEY, script text NOT NULL);
            INSERT INTO initcheck.runs (script) VALUES ('sql');
            """;
    private static final String INIT_SH = """
            #!/bin/sh
            set -eu
            psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \\
                -c "INSERT INTO initcheck.runs (script) VALUES ('sh as ' || current_user)"
            """;

    /** Image name (base, pause, postgres, pgk8s) to its reference. */
    private static final Map<String, String> refs = new LinkedHashMap<>();
    @TempDir
    static Path dir;
    private static Path initScripts;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    static void buildImages() throws IOException {
        long start = System.nanoTime();
        // --load: the images in podman's storage too, not only as archives; progress and timings go to our stderr.
        Result images = run(BUILD, true, "bash", IMAGES.toString(), "--load");
        assertThat(images.exit()).as("%s --load exits 0 (its stderr is above)", IMAGES).isZero();
        Matcher line = IMAGE_LINE.matcher(images.out());
        while (line.find()) {
            refs.put(line.group(2), line.group(1));
            assertThat(Path.of(line.group(3))).as("the archive of %s", line.group(1)).isRegularFile();
        }
        assertThat(refs).as("images listed by %s:%n%s", IMAGES, images.out())
                .containsOnlyKeys("base", "pause", "postgres", "pgk8s");
        System.out.printf("ImagesIT: images.sh --load in %d ms%n", millisSince(start));

        initScripts = Files.createDirectory(dir.resolve("initdb.d"));
        Files.writeString(initScripts.resolve("01-init.sql"), INIT_SQL);
        Files.writeString(initScripts.resolve("02-init.sh"), INIT_SH);
        Files.writeString(initScripts.resolve("03-notes.txt"), "not a script: ignored");
        // JUnit makes its directories 0700; uid 70 must read the scripts, and run the executable one.
        Files.setPosixFilePermissions(initScripts, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(initScripts.resolve("01-init.sql"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(initScripts.resolve("02-init.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(initScripts.resolve("03-notes.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void removeContainers() {
        if (!containers.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "--force", "--time", "0"));
            rm.addAll(containers);
            podman(rm.toArray(String[]::new));
        }
    }

    @Test
    @DisplayName("postgres:16 on first boot runs the init scripts once, then serves TCP as uid 70 with the password")
    void firstBoot() throws Exception {
        Postgres db = start("first-boot", fsGroupVolume("first-boot"));

        assertThat(db.query("SELECT version()")).singleElement().asString().startsWith("PostgreSQL 16.");
        assertThat(db.query("SELECT current_user")).containsExactly(USER);
        assertThat(db.query("SELECT script FROM initcheck.runs ORDER BY n"))
                .as("the init scripts ran in name order, once, as POSTGRES_USER into POSTGRES_DB")
                .containsExactly("sql", "sh as " + USER);
        assertThat(db.logs()).contains("running /docker-entrypoint-initdb.d/01-init.sql",
                "running /docker-entrypoint-initdb.d/02-init.sh", "ignoring /docker-entrypoint-initdb.d/03-notes.txt");

        String status = podman("exec", db.name(), "cat", "/proc/1/status").out();
        assertThat(status).as("PID 1 is the server, as uid and gid 70")
                .containsPattern("(?m)^Name:\\s+postgres$")
                .containsPattern("(?m)^Uid:\\s+70\\s+70\\s+70\\s+70$")
                .containsPattern("(?m)^Gid:\\s+70\\s+70\\s+70\\s+70$");
        Path data = db.volume().resolve("pgdata");
        assertThat(Files.getAttribute(data, "unix:uid")).as("PGDATA's owner").isEqualTo(POSTGRES_UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");

        assertThatThrownBy(() -> db.query("SELECT 1", "wrong password")).as("loopback TCP needs the password too")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    @DisplayName("postgres:16 restarted on the same volume skips initialization and keeps its data")
    void restart() throws Exception {
        Path volume = fsGroupVolume("restart");
        Postgres first = start("restart-1", volume);
        assertThat(first.query("SELECT count(*) FROM initcheck.runs")).containsExactly("2");
        long stop = System.nanoTime();
        Result stopped = podman("stop", "--time", "30", first.name());
        assertThat(stopped.exit()).as("podman stop: %s", stopped.err()).isZero();
        assertThat(first.logs()).as("SIGINT: a fast shutdown").contains("received fast shutdown request");
        System.out.printf("ImagesIT: %s stopped in %d ms%n", first.name(), millisSince(stop));

        Postgres second = start("restart-2", volume);

        assertThat(second.logs()).contains("skipping initialization").doesNotContain("docker-entrypoint-initdb.d");
        assertThat(second.query("SELECT script FROM initcheck.runs ORDER BY n")).as("the init scripts did not run again")
                .containsExactly("sql", "sh as " + USER);
    }

    @Test
    @DisplayName("the pgk8s image migrates and verifies the database from a read-only root, as a non-root user")
    void pgk8sImage() throws Exception {
        Postgres db = start("pgk8s", fsGroupVolume("pgk8s"));
        String image = refs.get("pgk8s");
        assertThat(podman("image", "inspect", "--format", "{{.Config.User}}", image).out().strip())
                .as("the image's user").isEqualTo("1001:0");

        Result migrate = pgk8s(db, "migrate");
        assertThat(migrate.exit()).as("migrate: %s", migrate.err()).isZero();
        assertThat(migrate.out()).matches("applied \\d+ migrations?, now at version \\d+\\R");
        assertThat(migrate.err()).as("nothing on stderr: no warning about a read-only filesystem").isEmpty();
        assertThat(db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_type = 'BASE TABLE'")).containsAll(LearnFlowSchema.TABLES);

        Result verify = pgk8s(db, "verify", "--no-k8s");
        assertThat(verify.exit()).as("verify: %s", verify.err()).isZero();
        assertThat(verify.out()).matches("✓ PostgreSQL healthy: 127\\.0\\.0\\.1:" + db.port() + "/" + DATABASE
                + " at version \\d+\\R");
        assertThat(verify.err()).as("only the skip line, no warning").isEqualTo("- kubernetes: skipped, --no-k8s\n");
    }

    @Test
    @DisplayName("the pgk8s image runs on Java 25 and starts from the AOT cache that its build made")
    void pgk8sAotCache() {
        Result connection = run(COMMAND, false, podmanCommand("run", "--rm", "--read-only", "--read-only-tmpfs=false",
                "--cap-drop", "all", "--security-opt", "no-new-privileges",
                "--env", "JAVA_TOOL_OPTIONS=-Xlog:class+load=info", refs.get("pgk8s"), "connection"));

        assertThat(connection.exit()).as("connection: %s", connection.err()).isZero();
        List<String> loaded = connection.out().lines().filter(line -> line.contains("[class,load]")).toList();
        Map<Boolean, Long> cached = loaded.stream().collect(Collectors.partitioningBy(
                line -> line.endsWith("source: shared objects file"), Collectors.counting()));
        assertThat(cached.get(true)).as("classes from the AOT cache (%s loaded otherwise)", cached.get(false))
                .isGreaterThan(9 * cached.get(false));
        Map<Boolean, Long> own = loaded.stream().filter(line -> line.contains(" io.learnflow.pgk8s.")).collect(
                Collectors.partitioningBy(line -> line.endsWith("source: shared objects file"), Collectors.counting()));
        assertThat(own.get(true)).as("pgk8s's own classes from the cache (the training run's), not from its jar")
                .isGreaterThan(own.get(false));
        Result version = podman("run", "--rm", "--entrypoint", "java", refs.get("pgk8s"), "-version");
        assertThat(version.err()).as("the image's Java, the machine's JDK 25 or newer").containsPattern(
                "version \"(2[5-9]|[3-9][0-9])");
        assertThat(podman("run", "--rm", "--entrypoint", "/bin/sh", refs.get("pgk8s"), "-c", "ls /work").out())
                .as("the cache beside the jar").containsPattern("pgk8s-25[0-9.]*-[0-9]+\\.aot");
    }

    @Test
    @DisplayName("the production image leaves local's PostgreSQL out (exit 2, one line); LOCAL_POSTGRES=yes runs it")
    void localPostgresChoice() {
        Result without = podman("run", "--rm", refs.get("pgk8s"), "local", "--exit");
        assertThat(without.exit()).as(without.err()).isEqualTo(2);
        assertThat(without.err().lines()).singleElement().asString().contains("no embedded PostgreSQL");

        String local = "localhost/pgk8s/pgk8s:local-" + ProcessHandle.current().pid();
        Result build = run(Duration.ofMinutes(5), false, podmanCommand("build", "--pull=never", "--network", "host",
                "--layers=false", "--format", "docker", "--build-arg", "LOCAL_POSTGRES=yes",
                "--build-arg", "BASE_IMAGE=" + JRE, "-t", local, "-f", "Dockerfile", "."));
        assertThat(build.exit()).as("podman build: %s", build.err()).isZero();
        try {
            Result started = run(Duration.ofMinutes(3), false, podmanCommand("run", "--rm", "--network", "host",
                    "--cap-drop", "all", local, "local", "--exit", "--port", "0"));
            assertThat(started.exit()).as("local in the image: %s", started.err()).isZero();
            assertThat(started.out()).startsWith("✓ PostgreSQL healthy: localhost:");
        } finally {
            podman("rmi", "-f", local);
        }
    }

    @Test
    @DisplayName("the launcher in a read-only directory without a class-data archive writes none and starts")
    void launcherOnReadOnlyDirectory() throws IOException {
        // target/quarkus-app as the image's /work, read-only: no archive there for the image's JVM, none possible.
        Path app = Path.of("target", "quarkus-app").toAbsolutePath();
        List<Path> before = archives(app);
        Result connection = podman("run", "--rm", "--read-only", "--read-only-tmpfs=false", "--cap-drop", "all",
                "--volume", app + ":/work:ro", refs.get("pgk8s"), "connection");

        assertThat(connection.exit()).as("connection: %s", connection.err()).isZero();
        assertThat(connection.out()).contains("Host:");
        // A JVM told to write an archive there fails at exit: "Unable to create shared archive file", status 1.
        assertThat(connection.err()).as("no attempt to write an archive").isEmpty();
        assertThat(archives(app)).isEqualTo(before);
    }

    private static List<Path> archives(Path app) throws IOException {
        try (Stream<Path> files = Files.list(app)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.(jsa|aot).*")).sorted().toList();
        }
    }

    @Test
    @DisplayName("the pause image is the pause.c of the Kubernetes module, and stops on SIGTERM")
    void pauseImage() {
        String image = refs.get("pause");
        String tag = image.substring(image.lastIndexOf(':') + 1);
        Result version = podman("run", "--rm", "--read-only", "--cap-drop", "all", image, "-v");
        assertThat(version.out().strip()).isEqualTo("pause.c v" + tag + "-pgk8s");

        String name = containerName("pause");
        Result started = podman("run", "--detach", "--name", name, "--read-only", "--cap-drop", "all", image);
        assertThat(started.exit()).as("pause starts: %s", started.err()).isZero();
        containers.add(name);
        Result stopped = podman("stop", "--time", "10", name);
        assertThat(stopped.exit()).isZero();
        assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", name).out().strip())
                .as("pause exits by itself on SIGTERM, not by SIGKILL").isEqualTo("0");
    }

    // ---- PostgreSQL in a container ------------------------------------------------------------------------

    private record Postgres(String name, int port, Path volume) {
        List<String> query(String sql) throws SQLException {
            return query(sql, PASSWORD);
        }

        List<String> query(String sql, String password) throws SQLException {
            Properties props = new Properties();
            props.setProperty("user", USER);
            props.setProperty("password", password);
            props.setProperty("sslmode", "disable");
            props.setProperty("connectTimeout", "5");
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
            try (Connection c = DriverManager.getConnection(url, props); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }

        String logs() {
            Result logs = podman("logs", name);
            return logs.out() + logs.err();
        }
    }

    /**
     * The image as a restricted pod runs it: uid 70, read-only root, all capabilities dropped, emptyDirs at
     * /var/run/postgresql and /tmp, the data volume with PGDATA in a subdirectory, the init scripts read-only.
     */
    private Postgres start(String test, Path volume) {
        String name = containerName(test);
        int port = freePort();
        long start = System.nanoTime();
        Result run = podman("run", "--detach", "--name", name, "--network", "host",
                "--read-only", "--read-only-tmpfs=false", "--user", POSTGRES_UID + ":" + POSTGRES_UID,
                "--cap-drop", "all", "--security-opt", "no-new-privileges",
                "--tmpfs", "/var/run/postgresql", "--tmpfs", "/tmp",
                "--volume", volume + ":/var/lib/postgresql/data",
                "--volume", initScripts + ":/docker-entrypoint-initdb.d:ro",
                "--env-file", envFile(name, Map.of("POSTGRES_USER", USER, "POSTGRES_PASSWORD", PASSWORD,
                        "POSTGRES_DB", DATABASE, "PGDATA", "/var/lib/postgresql/data/pgdata",
                        "PGPORT", String.valueOf(port))).toString(),
                refs.get("postgres"));
        assertThat(run.exit()).as("podman run %s: %s", name, run.err()).isZero();
        containers.add(name);
        Postgres db = new Postgres(name, port, volume);
        try {
            await().atMost(READY).pollInterval(Duration.ofMillis(200))
                    .failFast("the container stopped", () -> !"running".equals(
                            podman("inspect", "--format", "{{.State.Status}}", name).out().strip()))
                    .until(() -> podman("exec", name, "pg_isready", "--host", "127.0.0.1", "--port",
                            String.valueOf(port), "--dbname", DATABASE, "--username", USER).exit() == 0);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            fail(name + " never passed pg_isready over TCP (" + e.getMessage() + "); its log:\n" + db.logs(), e);
        }
        System.out.printf("ImagesIT: %s ready (pg_isready over TCP) in %d ms%n", name, millisSince(start));
        return db;
    }

    /**
     * The variables as podman's {@code --env-file}, readable by this user only: a password on podman's command
     * line would be in {@code ps} for every user of the machine.
     */
    private static Path envFile(String name, Map<String, String> env) {
        try {
            Path file = dir.resolve(name + ".env");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder text = new StringBuilder();
            new TreeMap<>(env).forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a volume with fsGroup 70 looks like: root's, group 70 with setgid, group-writable, lost+found. */
    private static Path fsGroupVolume(String test) throws IOException {
        Path volume = Files.createDirectory(dir.resolve(test + "-data"));
        Files.setAttribute(volume, "unix:gid", POSTGRES_UID);
        Files.setAttribute(volume, "unix:mode", 02775);
        Files.setPosixFilePermissions(Files.createDirectory(volume.resolve("lost+found")),
                PosixFilePermissions.fromString("rwx------"));
        return volume;
    }

    private Result pgk8s(Postgres db, String... args) {
        long start = System.nanoTime();
        List<String> run = new ArrayList<>(List.of("run", "--rm", "--network", "host",
                "--read-only", "--read-only-tmpfs=false", "--cap-drop", "all", "--security-opt", "no-new-privileges",
                "--env-file", envFile("pgk8s-" + db.port(), Map.of("PGHOST", "127.0.0.1",
                        "PGPORT", String.valueOf(db.port()), "PGUSER", USER, "PGPASSWORD", PASSWORD,
                        "PGDATABASE", DATABASE)).toString(),
                refs.get("pgk8s")));
        run.addAll(List.of(args));
        Result result = podman(run.toArray(String[]::new));
        System.out.printf("ImagesIT: pgk8s %s in a container in %d ms%n", String.join(" ", args), millisSince(start));
        return result;
    }

    // ---- processes ------------------------------------------------------------------------------------------

    private record Result(int exit, String out, String err) {
    }

    private static Result podman(String... args) {
        return run(COMMAND, false, podmanCommand(args));
    }

    /** The tier's podman, with its private storage and settings. */
    private static String[] podmanCommand(String... args) {
        return Stream.concat(Stream.of("bash", IMAGES.toString(), "podman"), Stream.of(args)).toArray(String[]::new);
    }

    /** Runs a command to its end; its stdout and stderr are kept in files, so no pipe can fill up. */
    private static Result run(Duration timeout, boolean showStderr, String... command) {
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(showStderr ? Redirect.INHERIT : Redirect.to(err.toFile()));
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not end within " + timeout);
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
            throw new IllegalStateException(e);
        }
    }

    private static String containerName(String test) {
        return "pgk8s-it-" + test + "-" + ProcessHandle.current().pid();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
