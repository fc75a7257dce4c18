package io.learnflow.pgk8s.testing.controlplane;

/** The images that the real node holds, imported from {@code src/test/realnode/images.sh}; never pulled. */
public final class RealNodeImages {

    /** The minimal Debian base (debootstrap minbase). */
    public static final String BASE = "localhost/pgk8s/base:bookworm";
    /** PostgreSQL 16, running as {@link #UID}. */
    public static final String POSTGRES = "localhost/pgk8s/postgres:16";
    /** The pgk8s CLI on a Debian JRE. */
    public static final String PGK8S = "localhost/pgk8s/pgk8s:dev";
    /** The uid and gid of postgres in its image (as in the official Alpine image). */
    public static final long UID = 70L;

    private RealNodeImages() {
    }
}
