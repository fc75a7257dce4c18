package io.learnflow.pgk8s;

/**
 * A failure a person can act on: its message is one line saying what is wrong and how to fix it.
 * The CLI prints it as {@code error: <message>} and exits with {@link #exitCode()}.
 */
public class Pgk8sException extends RuntimeException {
    private final int exitCode;

    public Pgk8sException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public Pgk8sException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad input from the user: nothing was changed. */
    public static Pgk8sException badInput(String message) {
        return new Pgk8sException(ExitCodes.USAGE, message);
    }

    /** The work was tried and failed, or the system is unhealthy. */
    public static Pgk8sException failed(String message) {
        return new Pgk8sException(ExitCodes.FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
