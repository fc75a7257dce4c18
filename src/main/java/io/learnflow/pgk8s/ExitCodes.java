package io.learnflow.pgk8s;

/** The process exit codes of every pgk8s command; picocli's defaults, documented in --help and README. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
