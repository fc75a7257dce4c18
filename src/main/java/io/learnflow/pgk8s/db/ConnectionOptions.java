package io.learnflow.pgk8s.db;

/**
 * The connection settings given on the command line; null for one not given. Values are text, parsed with the
 * same rules as the environment variable of the same meaning, for example a host list in {@code host}.
 */
public record ConnectionOptions(String host, String port, String database, String user, String password,
        String sslMode, String connectTimeout) {

    /** Nothing given on the command line. */
    public static final ConnectionOptions NONE = new ConnectionOptions(null, null, null, null, null, null, null);
}
