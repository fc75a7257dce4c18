package io.learnflow.pgk8s.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.learnflow.pgk8s.profile.Profile;

/** Where and as whom to connect to PostgreSQL. */
public record ConnectionSettings(String host, int port, String database, String user, String password) {

    public static ConnectionSettings defaults(Profile profile) {
        return new ConnectionSettings(profile.serviceHost(), profile.port(), profile.database(), profile.user(),
                profile.defaultPassword());
    }

    /** The JDBC URL without credentials, safe to log. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostPort() + "/" + encode(database);
    }

    /** The JDBC URL with credentials, for clients configured by a single string. */
    public String jdbcUrlWithCredentials() {
        return jdbcUrl() + "?user=" + encode(user) + "&password=" + encode(password);
    }

    /** The libpq connection URI with credentials. */
    public String uri() {
        return "postgresql://" + encode(user) + ":" + encode(password) + "@" + hostPort() + "/" + encode(database);
    }

    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public ConnectionSettings withDatabase(String otherDatabase) {
        return new ConnectionSettings(host, port, otherDatabase, user, password);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + user + "@" + hostPort() + "/" + database + "]";
    }
}
