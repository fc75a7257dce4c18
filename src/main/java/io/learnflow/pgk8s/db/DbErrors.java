package io.learnflow.pgk8s.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns JDBC failures into short sentences a person can act on. SQLSTATEs are PostgreSQL's (Appendix A). */
public final class DbErrors {
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String INVALID_AUTHORIZATION = "28000";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String CANNOT_CONNECT_NOW = "57P03";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String QUERY_CANCELED = "57014";
    public static final String CONNECTION_UNABLE_TO_CONNECT = "08001";

    private DbErrors() {
    }

    /**
     * True when no PostgreSQL answered at all, or it answered that it cannot take connections yet. A failed TLS
     * handshake or a server without TLS did answer: that is a refused login, not a server that is down.
     */
    public static boolean unreachable(SQLException e) {
        if (tls(e)) {
            return false;
        }
        Throwable cause = rootCause(e);
        return cause instanceof UnknownHostException || cause instanceof ConnectException
                || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
                || String.valueOf(e.getMessage()).contains("timed out")
                || CANNOT_CONNECT_NOW.equals(e.getSQLState()) || TOO_MANY_CONNECTIONS.equals(e.getSQLState())
                || CONNECTION_UNABLE_TO_CONNECT.equals(e.getSQLState()) && !(cause instanceof SQLException);
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
        if (INVALID_PASSWORD.equals(e.getSQLState())) {
            return "password authentication failed for " + settings.user()
                    + ": check PGPASSWORD or the postgres-app Secret";
        }
        return serverMessage(e);
    }

    /** The server's own message without pgjdbc's "FATAL: "/"ERROR: " prefix, on one line. */
    public static String serverMessage(SQLException e) {
        return firstLine(e.getMessage()).replaceFirst("^(FATAL|ERROR): ", "");
    }

    /** The first line, and pgjdbc's {@code Detail:} line where the server sent one: it names the offending row. */
    public static String withDetail(String message) {
        String first = firstLine(message);
        return message == null ? first : message.lines().map(String::strip).filter(l -> l.startsWith("Detail:"))
                .findFirst().map(detail -> first + " (" + detail + ")").orElse(first);
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static boolean tls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || String.valueOf(t.getMessage()).contains("SSL")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable current = e;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }
}
