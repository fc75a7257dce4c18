package io.learnflow.pgk8s.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.learnflow.pgk8s.db.ConnectionEnvironment;
import jakarta.inject.Singleton;

/**
 * What in-JVM tests ({@code @QuarkusMainTest}, {@code @QuarkusTest}) give the connection resolver instead of the
 * process's environment, replacing {@link CliSetup}'s default bean: the developer's PGHOST, PGPASSWORD or
 * ~/.pgpass never reach them. It holds one variable, PGPASSFILE, and a home of its own with a root certificate, so
 * a test can tell that both came from here.
 */
@Singleton
public class InJvmTestEnvironment implements ConnectionEnvironment {
    /** The host the password file has a line for. */
    public static final String PASSFILE_HOST = "seam.test";
    public static final String PASSFILE_PASSWORD = "from-the-test-passfile";

    private final Path home;
    private final Map<String, String> variables;

    public InJvmTestEnvironment() {
        try {
            home = Files.createTempDirectory("pgk8s-test-home");
            Path passfile = Files.writeString(home.resolve("passfile"),
                    PASSFILE_HOST + ":*:*:*:" + PASSFILE_PASSWORD + "\n");
            Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
            Files.createDirectories(home.resolve(".postgresql"));
            Files.writeString(home.resolve(".postgresql/root.crt"), "a CA file only this environment has\n");
            variables = Map.of("PGPASSFILE", passfile.toString());
            // deleteOnExit deletes in reverse order of registration: files before their directories.
            for (Path path : new Path[] { home, home.resolve(".postgresql"), home.resolve(".postgresql/root.crt"),
                    passfile }) {
                path.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String variable(String name) {
        return variables.get(name);
    }

    @Override
    public Path home() {
        return home;
    }
}
