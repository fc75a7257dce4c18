package io.learnflow.pgk8s.connect;

import java.util.LinkedHashMap;
import java.util.Map;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.output.Json;

/** How {@code pgk8s connection} renders settings; {@link #TEXT} is the spec's section 8.5 block. */
public enum ConnectionFormat {
    TEXT, JSON, ENV, JDBC, URI;

    public String render(ConnectionSettings s) {
        return switch (this) {
            case TEXT -> "Host: " + s.host() + "\n"
                    + "Port: " + s.port() + "\n"
                    + "Database: " + s.database() + "\n"
                    + "User: " + s.user() + "\n"
                    + "Password: " + s.password() + "\n"
                    + "Connection String: " + s.uri();
            case JSON -> Json.write(fields(s));
            case ENV -> "PGHOST=" + s.host() + "\n"
                    + "PGPORT=" + s.port() + "\n"
                    + "PGDATABASE=" + s.database() + "\n"
                    + "PGUSER=" + s.user() + "\n"
                    + "PGPASSWORD=" + s.password();
            case JDBC -> s.jdbcUrlWithCredentials();
            case URI -> s.uri();
        };
    }

    private static Map<String, Object> fields(ConnectionSettings s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", s.host());
        map.put("port", s.port());
        map.put("database", s.database());
        map.put("user", s.user());
        map.put("password", s.password());
        map.put("uri", s.uri());
        map.put("jdbcUrl", s.jdbcUrlWithCredentials());
        return map;
    }
}
