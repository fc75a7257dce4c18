package io.learnflow.pgk8s.db;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.profile.Profile;

/**
 * Resolves each connection setting in libpq's spirit: the command-line option, else the libpq
 * environment variable (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), else Quarkus config
 * ({@code quarkus.datasource.*}, which Dev Services fills in dev mode), else the dev profile.
 */
public final class ConnectionResolver {
    private final Function<String, String> env;
    private final Function<String, Optional<String>> config;
    private final ConnectionSettings defaults;

    public ConnectionResolver(Function<String, String> env, Function<String, Optional<String>> config) {
        this(env, config, ConnectionSettings.defaults(Profile.DEV));
    }

    public ConnectionResolver(Function<String, String> env, Function<String, Optional<String>> config,
            ConnectionSettings defaults) {
        this.env = env;
        this.config = config;
        this.defaults = defaults;
    }

    /** Options left null were not given on the command line. */
    public ConnectionSettings resolve(String host, Integer port, String database, String user, String password) {
        Optional<URI> configUrl = config.apply("quarkus.datasource.jdbc.url").map(ConnectionResolver::parseJdbcUrl);
        String resolvedHost = first(host, env.apply("PGHOST"), configUrl.map(URI::getHost).orElse(null), defaults.host());
        String portText = first(port == null ? null : port.toString(), env.apply("PGPORT"),
                configUrl.filter(u -> u.getPort() > 0).map(u -> Integer.toString(u.getPort())).orElse(null),
                Integer.toString(defaults.port()));
        String resolvedDatabase = first(database, env.apply("PGDATABASE"),
                configUrl.map(ConnectionResolver::databaseOf).orElse(null), defaults.database());
        String resolvedUser = first(user, env.apply("PGUSER"), config.apply("quarkus.datasource.username").orElse(null),
                defaults.user());
        String resolvedPassword = first(password, env.apply("PGPASSWORD"),
                config.apply("quarkus.datasource.password").orElse(null), defaults.password());
        return new ConnectionSettings(resolvedHost, parsePort(portText), resolvedDatabase, resolvedUser, resolvedPassword);
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw Pgk8sException.badInput("port '" + text + "' is not a TCP port, give a number from 1 to 65535");
        }
    }

    private static URI parseJdbcUrl(String jdbcUrl) {
        return URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
    }

    private static String databaseOf(URI uri) {
        String path = uri.getPath();
        return path == null || path.length() <= 1 ? null : path.substring(1);
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
