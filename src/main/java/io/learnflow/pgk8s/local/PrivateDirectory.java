package io.learnflow.pgk8s.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * Where {@code local} unpacks the PostgreSQL binaries it then runs: a directory of the current user's own,
 * mode 0700, under {@code java.io.tmpdir}. A shared, world-writable path such as zonky's default
 * {@code /tmp/embedded-pg} would let another local user swap the binaries.
 */
final class PrivateDirectory {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    static Path forCurrentUser() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        return ensure(Path.of(System.getProperty("java.io.tmpdir"), "pgk8s-" + user));
    }

    static Path ensure(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            String owner = Files.getOwner(dir).getName();
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (!owner.equals(System.getProperty("user.name")) || !mode.equals(OWNER_ONLY)) {
                throw Pgk8sException.failed(dir + " is not private (owner " + owner + ", mode "
                        + PosixFilePermissions.toString(mode) + "): remove it, or point java.io.tmpdir elsewhere");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
