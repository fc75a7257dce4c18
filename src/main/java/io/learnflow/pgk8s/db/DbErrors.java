package io.learnflow.pgk8s.db;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns JDBC failures into short sentences a person can act on. */
public final class DbErrors {
    /** PostgreSQL's SQLSTATE for "database does not exist". */
    public static final String INVALID_CATALOG_NAME = "3D000";

    private DbErrors() {
    }

    public static String describe(SQLException e, ConnectionSettings settings) {
        Throwable cause = rootCause(e);
        if (cause instanceof UnknownHostException) {
            return "unknown host " + settings.host();
        }
        if (cause instanceof ConnectException) {
            return "connection refused at " + settings.hostPort();
        }
        if (cause instanceof SocketTimeoutException || String.valueOf(e.getMessage()).contains("timed out")) {
            return "no answer from " + settings.hostPort() + " (timed out)";
        }
        return firstLine(e.getMessage());
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable current = e;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }
}
