package io.learnflow.pgk8s.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.learnflow.pgk8s.profile.Profile;

/**
 * Where, as whom and how to connect to PostgreSQL, as {@link ConnectionResolver} resolved it from libpq's sources.
 * Every printed form ({@link #uri()}, {@link #jdbcUrlWithCredentials()}, {@link #libpqEnvironment()}) and
 * {@link Database} read the same fields, so they name the same servers, database, user, password and TLS.
 *
 * @param servers               tried in order, as libpq tries a host list; a host starting with {@code /} is a Unix
 *                              socket directory
 * @param connectTimeoutSeconds per server, libpq's {@code connect_timeout}; 0 waits without limit
 * @param applicationName       {@code application_name} the user set, or null for {@link #DEFAULT_APPLICATION_NAME}
 * @param options               libpq's {@code options} (PGOPTIONS), sent to the server at start-up; null for none
 * @param targetSessionAttrs    libpq's {@code target_session_attrs}: {@code read-write}, {@code read-only}, or null
 *                              for any server
 */
public record ConnectionSettings(List<Server> servers, String database, String user, String password, Tls tls,
        int connectTimeoutSeconds, String applicationName, String options, String targetSessionAttrs) {

    /** Seconds; libpq advises no less than 2 (libpq docs 34.1.2, connect_timeout), and a live server meets it. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 2;
    /** libpq's target_session_attrs for a server that accepts writes; {@code read-only} is the other one honoured. */
    public static final String READ_WRITE = "read-write";
    public static final String READ_ONLY = "read-only";
    /** What pg_stat_activity shows for pgk8s's own sessions unless PGAPPNAME says otherwise. */
    public static final String DEFAULT_APPLICATION_NAME = "pgk8s";

    public ConnectionSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server");
        }
        Objects.requireNonNull(tls, "tls");
    }

    /** One TCP or socket-directory host, TLS as libpq's default (prefer), the default connect timeout. */
    public ConnectionSettings(String host, int port, String database, String user, String password) {
        this(List.of(new Server(host, port)), database, user, password, Tls.DEFAULT, DEFAULT_CONNECT_TIMEOUT_SECONDS,
                null, null, null);
    }

    public static ConnectionSettings defaults(Profile profile) {
        return new ConnectionSettings(profile.serviceHost(), profile.port(), profile.database(), profile.user(),
                profile.defaultPassword());
    }

    /** One entry of a libpq host list. */
    public record Server(String host, int port) {
        /** libpq: a host that starts with a slash is the directory of a Unix-domain socket. */
        public boolean isSocket() {
            return host.startsWith("/");
        }

        /** The socket file libpq connects to: {@code <directory>/.s.PGSQL.<port>}. */
        public Path socketFile() {
            return Path.of(host, ".s.PGSQL." + port);
        }

        /** For messages: {@code host:port}, {@code [v6]:port}, or the socket file. */
        public String display() {
            return isSocket() ? socketFile().toString() : bracketed(host) + ":" + port;
        }
    }

    /**
     * TLS as libpq reads it (libpq docs 34.19, "SSL Support").
     *
     * @param rootCert the root certificate file that verifies the server, when one is used; null otherwise
     * @param cert     the client certificate file, or null for none
     * @param key      the client certificate's key file, or null for none
     */
    public record Tls(SslMode mode, String rootCert, String cert, String key) {
        public static final Tls DEFAULT = new Tls(SslMode.PREFER, null, null, null);

        public Tls {
            Objects.requireNonNull(mode, "mode");
        }

        /**
         * The mode with libpq's meaning for pgjdbc: libpq's {@code require} verifies the certificate chain when a
         * root certificate file exists (libpq docs 34.19.1), pgjdbc's never does, so it gets {@code verify-ca}.
         */
        public SslMode jdbcMode() {
            return mode == SslMode.REQUIRE && rootCert != null ? SslMode.VERIFY_CA : mode;
        }
    }

    /** The hosts as libpq's PGHOST spells them: comma-separated. */
    public String host() {
        return servers.stream().map(Server::host).collect(Collectors.joining(","));
    }

    /** The first server's port. */
    public int port() {
        return servers.get(0).port();
    }

    /** The ports as PGPORT spells them: one when all are the same, else one per host. */
    public String ports() {
        List<String> ports = servers.stream().map(s -> Integer.toString(s.port())).toList();
        return ports.stream().distinct().count() == 1 ? ports.get(0) : String.join(",", ports);
    }

    public boolean isSocket() {
        return servers.get(0).isSocket();
    }

    /** For messages: every server, comma-separated. */
    public String hostPort() {
        return servers.stream().map(Server::display).collect(Collectors.joining(","));
    }

    public ConnectionSettings withDatabase(String otherDatabase) {
        return new ConnectionSettings(servers, otherDatabase, user, password, tls, connectTimeoutSeconds,
                applicationName, options, targetSessionAttrs);
    }

    public ConnectionSettings withPassword(String otherPassword) {
        return new ConnectionSettings(servers, database, user, otherPassword, tls, connectTimeoutSeconds,
                applicationName, options, targetSessionAttrs);
    }

    public ConnectionSettings withConnectTimeout(int seconds) {
        return new ConnectionSettings(servers, database, user, password, tls, seconds, applicationName, options,
                targetSessionAttrs);
    }

    public ConnectionSettings withTls(Tls otherTls) {
        return new ConnectionSettings(servers, database, user, password, otherTls, connectTimeoutSeconds,
                applicationName, options, targetSessionAttrs);
    }

    /** The application name sent to the server. */
    public String effectiveApplicationName() {
        return applicationName != null ? applicationName : DEFAULT_APPLICATION_NAME;
    }

    /** The JDBC URL without credentials, safe to log. */
    public String jdbcUrl() {
        String hosts = isSocket()
                // pgjdbc cannot parse a path as a host: the socket file goes to the socket factory instead.
                ? "localhost:" + port()
                : servers.stream().map(s -> bracketed(s.host()) + ":" + s.port()).collect(Collectors.joining(","));
        return "jdbc:postgresql://" + hosts + "/" + encode(database);
    }

    /**
     * The JDBC URL with credentials and every setting pgjdbc needs to connect as pgk8s does. A socket directory
     * needs junixsocket beside pgjdbc, the Unix-socket factory pgjdbc documents.
     */
    public String jdbcUrlWithCredentials() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", user);
        params.put("password", password);
        params.putAll(jdbcParameters(JUNIXSOCKET_FACTORY));
        return jdbcUrl() + "?" + query(params);
    }

    /** pgjdbc's connection properties beyond host, database and credentials; not secret. */
    Map<String, String> jdbcParameters(String socketFactory) {
        Map<String, String> params = new LinkedHashMap<>();
        if (isSocket()) {
            params.put("socketFactory", socketFactory);
            params.put("socketFactoryArg", servers.get(0).socketFile().toString());
            // libpq never uses TLS over a Unix socket, whatever sslmode says.
            params.put("sslmode", SslMode.DISABLE.libpqName());
        } else if (tls.jdbcMode() != SslMode.PREFER) {
            params.put("sslmode", tls.jdbcMode().libpqName());
        }
        if (!isSocket() && tls.jdbcMode().verifiesCertificate()) {
            params.put("sslrootcert", tls.rootCert());
        }
        if (!isSocket() && tls.mode() != SslMode.DISABLE) {
            putIfSet(params, "sslcert", tls.cert());
            putIfSet(params, "sslkey", tls.key());
        }
        if (connectTimeoutSeconds != DEFAULT_CONNECT_TIMEOUT_SECONDS) {
            params.put("connectTimeout", Integer.toString(connectTimeoutSeconds));
            params.put("loginTimeout", Integer.toString(loginTimeoutSeconds()));
        }
        if (applicationName != null) {
            params.put("ApplicationName", applicationName);
        }
        if (options != null) {
            params.put("options", options);
        }
        if (targetSessionAttrs != null) {
            // pgjdbc's primary: not in hot standby and not read-only, libpq's read-write; secondary the reverse.
            params.put("targetServerType", READ_WRITE.equals(targetSessionAttrs) ? "primary" : "secondary");
        }
        return params;
    }

    /** pgjdbc's loginTimeout covers the whole host list; libpq's connect_timeout applies to each host. */
    public int loginTimeoutSeconds() {
        return connectTimeoutSeconds * servers.size();
    }

    /**
     * The libpq connection URI with credentials (libpq docs 34.1.1.2, "Connection URIs"). Parameters at libpq's
     * defaults are left out, so the dev profile's URI is the spec's plain one.
     */
    public String uri() {
        String hosts = servers.stream().map(s -> uriHost(s.host()) + ":" + s.port()).collect(Collectors.joining(","));
        StringBuilder uri = new StringBuilder("postgresql://").append(encode(user)).append(':').append(encode(password))
                .append('@').append(hosts).append('/').append(encode(database));
        Map<String, String> params = new LinkedHashMap<>();
        libpqParameters().forEach((variable, value) -> params.put(LIBPQ_KEYWORDS.get(variable), value));
        params.remove("host");
        params.remove("port");
        params.remove("dbname");
        params.remove("user");
        params.remove("password");
        if (tls.mode() == SslMode.PREFER) {
            params.remove("sslmode");
        }
        if (!params.isEmpty()) {
            uri.append('?').append(query(params));
        }
        return uri.toString();
    }

    /**
     * The settings as libpq's environment variables, in a stable order: what {@code eval} or {@code --env-file}
     * needs for psql to connect as pgk8s does. Includes the password.
     */
    public Map<String, String> libpqEnvironment() {
        return libpqParameters();
    }

    private Map<String, String> libpqParameters() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host());
        env.put("PGPORT", ports());
        env.put("PGDATABASE", database);
        env.put("PGUSER", user);
        env.put("PGPASSWORD", password);
        env.put("PGSSLMODE", tls.mode().libpqName());
        putIfSet(env, "PGSSLROOTCERT", tls.rootCert());
        putIfSet(env, "PGSSLCERT", tls.cert());
        putIfSet(env, "PGSSLKEY", tls.key());
        if (connectTimeoutSeconds != DEFAULT_CONNECT_TIMEOUT_SECONDS) {
            env.put("PGCONNECT_TIMEOUT", Integer.toString(connectTimeoutSeconds));
        }
        putIfSet(env, "PGAPPNAME", applicationName);
        putIfSet(env, "PGOPTIONS", options);
        putIfSet(env, "PGTARGETSESSIONATTRS", targetSessionAttrs);
        return env;
    }

    private static final String JUNIXSOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    private static final Map<String, String> LIBPQ_KEYWORDS = Map.ofEntries(
            Map.entry("PGHOST", "host"), Map.entry("PGPORT", "port"), Map.entry("PGDATABASE", "dbname"),
            Map.entry("PGUSER", "user"), Map.entry("PGPASSWORD", "password"), Map.entry("PGSSLMODE", "sslmode"),
            Map.entry("PGSSLROOTCERT", "sslrootcert"), Map.entry("PGSSLCERT", "sslcert"),
            Map.entry("PGSSLKEY", "sslkey"), Map.entry("PGCONNECT_TIMEOUT", "connect_timeout"),
            Map.entry("PGAPPNAME", "application_name"), Map.entry("PGOPTIONS", "options"),
            Map.entry("PGTARGETSESSIONATTRS", "target_session_attrs"));

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String uriHost(String host) {
        if (host.contains(":")) {
            return "[" + host.replace("%", "%25") + "]";
        }
        return encode(host);
    }

    private static String bracketed(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "ConnectionSettings[" + user + "@" + hostPort() + "/" + database + ", sslmode=" + tls.mode() + "]";
    }
}
