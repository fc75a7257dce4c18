package io.learnflow.pgk8s.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    /** Named by uid, not user name: {@code docker run -u 1000} gives a uid with no name. */
    static Path forCurrentUser() {
        return ensure(Path.of(System.getProperty("java.io.tmpdir"), "pgk8s-" + currentUid()));
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path ensure(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (owner != currentUid() || !mode.equals(OWNER_ONLY) || Files.isSymbolicLink(dir)) {
                throw Pgk8sException.failed(dir + " is not private (owner uid " + owner + ", mode "
                        + PosixFilePermissions.toString(mode) + "): remove it, or point java.io.tmpdir elsewhere");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
