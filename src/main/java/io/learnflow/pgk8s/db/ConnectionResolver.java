package io.learnflow.pgk8s.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.postgresql.Driver;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings.Server;
import io.learnflow.pgk8s.db.ConnectionSettings.Tls;
import io.learnflow.pgk8s.profile.Profile;

/**
 * Resolves the connection settings with libpq's meanings (libpq docs 34.1.2 "Parameter Key Words", 34.15
 * "Environment Variables", 34.16 "The Password File", 34.17 "The Connection Service File"). Each setting comes from
 * the first of:
 * <ol>
 * <li>the command-line option;</li>
 * <li>the service named by {@code PGSERVICE}, from the service file (libpq: a service overrides the environment);</li>
 * <li>libpq's environment variable ({@code PGHOST}, {@code PGPORT}, ...);</li>
 * <li>Quarkus config: {@code quarkus.datasource.jdbc.url} parsed as pgjdbc parses it, {@code .username},
 * {@code .password} (Dev Services fills them in dev mode);</li>
 * <li>for the password only: the password file ({@code PGPASSFILE}, else {@code ~/.pgpass});</li>
 * <li>the dev profile.</li>
 * </ol>
 * A setting pgk8s cannot honour is refused with exit 2 before anything connects, never ignored.
 */
public final class ConnectionResolver {
    /** libpq's environment variables that pgk8s honours, by the libpq keyword they set. */
    static final Map<String, String> ENVIRONMENT = orderedMap(
            "host", "PGHOST", "port", "PGPORT", "dbname", "PGDATABASE", "user", "PGUSER", "password", "PGPASSWORD",
            "passfile", "PGPASSFILE", "sslmode", "PGSSLMODE", "sslrootcert", "PGSSLROOTCERT", "sslcert", "PGSSLCERT",
            "sslkey", "PGSSLKEY", "connect_timeout", "PGCONNECT_TIMEOUT", "application_name", "PGAPPNAME",
            "options", "PGOPTIONS", "target_session_attrs", "PGTARGETSESSIONATTRS");

    /**
     * libpq's environment variables that change where or how to connect and that pgk8s cannot honour: set to
     * anything but the value given here (libpq's default, which pgk8s does), each is refused.
     */
    static final Map<String, String> REFUSED = orderedMap(
            "PGHOSTADDR", "", "PGREQUIREPEER", "", "PGSSLCRL", "", "PGSSLCRLDIR", "", "PGSSLSNI", "1",
            "PGSSLCERTMODE", "allow", "PGSSLMINPROTOCOLVERSION", "", "PGSSLMAXPROTOCOLVERSION", "",
            "PGSSLNEGOTIATION", "postgres", "PGGSSENCMODE", "disable", "PGKRBSRVNAME", "", "PGGSSLIB", "",
            "PGGSSDELEGATION", "0", "PGREQUIREAUTH", "", "PGCHANNELBINDING", "prefer",
            "PGLOADBALANCEHOSTS", "disable", "PGCLIENTENCODING", "UTF8",
            "PGDATESTYLE", "ISO, MDY", "PGTZ", "", "PGGEQO", "", "PGMINPROTOCOLVERSION", "",
            "PGMAXPROTOCOLVERSION", "");

    /** pgjdbc URL properties in quarkus.datasource.jdbc.url that pgk8s maps to libpq keywords. */
    private static final Map<String, String> JDBC_PROPERTIES = orderedMap(
            "PGHOST", "host", "PGPORT", "port", "PGDBNAME", "dbname", "user", "user", "password", "password",
            "sslmode", "sslmode", "sslrootcert", "sslrootcert", "sslcert", "sslcert", "sslkey", "sslkey",
            "ApplicationName", "application_name", "options", "options", "connectTimeout", "connect_timeout",
            "targetServerType", "target_session_attrs");
    /** pgjdbc URL properties that change nothing about where or how to connect (Dev Services sets loggerLevel). */
    private static final Set<String> JDBC_HARMLESS = Set.of("loggerLevel", "loggerFile");
    /** pgjdbc's targetServerType as libpq's target_session_attrs; the prefer* types have no libpq equal. */
    private static final Map<String, String> JDBC_SERVER_TYPES = Map.of("any", "any",
            "primary", ConnectionSettings.READ_WRITE, "master", ConnectionSettings.READ_WRITE,
            "secondary", ConnectionSettings.READ_ONLY, "slave", ConnectionSettings.READ_ONLY);

    private final ConnectionEnvironment env;
    private final Function<String, Optional<String>> config;
    private final ConnectionSettings defaults;

    public ConnectionResolver(ConnectionEnvironment env, Function<String, Optional<String>> config) {
        this(env, config, ConnectionSettings.defaults(Profile.DEV));
    }

    public ConnectionResolver(ConnectionEnvironment env, Function<String, Optional<String>> config,
            ConnectionSettings defaults) {
        this.env = env;
        this.config = config;
        this.defaults = defaults;
    }

    /** The same sources, with other last-resort defaults (those of a cluster's Secret). */
    public ConnectionResolver withDefaults(ConnectionSettings otherDefaults) {
        return new ConnectionResolver(env, config, otherDefaults);
    }

    /** Options left null were not given; warnings (an ignored password file) are logged. */
    public ConnectionSettings resolve(String host, Integer port, String database, String user, String password) {
        return resolve(new ConnectionOptions(host, port == null ? null : port.toString(), database, user, password,
                null, null), Logger.getLogger(ConnectionResolver.class)::warn);
    }

    /**
     * @param warnings receives libpq's warnings, for example for a password file others may read
     * @throws Pgk8sException exit 2 for a setting pgk8s cannot honour, with what is wrong and how to fix it
     */
    public ConnectionSettings resolve(ConnectionOptions given, Consumer<String> warnings) {
        refuseUnsupportedEnvironment();
        List<Map<String, String>> sources = List.of(fromOptions(given), fromService(), fromEnvironment(),
                fromConfig());
        Function<String, String> setting = keyword -> sources.stream().map(s -> s.get(keyword))
                .filter(v -> v != null && !v.isEmpty()).findFirst().orElse(null);

        List<String> hosts = hosts(orElse(setting.apply("host"), defaults.host()));
        List<Integer> ports = ports(orElse(setting.apply("port"), defaults.ports()), hosts.size());
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            servers.add(new Server(hosts.get(i), ports.get(ports.size() == 1 ? 0 : i)));
        }
        String database = orElse(setting.apply("dbname"), defaults.database());
        String user = orElse(setting.apply("user"), defaults.user());
        Tls tls = servers.get(0).isSocket() ? socketTls(setting) : tls(setting);
        int timeout = connectTimeout(setting.apply("connect_timeout"));
        String password = setting.apply("password");
        if (password == null) {
            password = fromPasswordFile(setting.apply("passfile"), servers, database, user, warnings);
        }
        if (password == null) {
            password = defaults.password();
        }
        return new ConnectionSettings(servers, database, user, password, tls, timeout,
                setting.apply("application_name"), setting.apply("options"),
                targetSessionAttrs(setting.apply("target_session_attrs")));
    }

    private void refuseUnsupportedEnvironment() {
        REFUSED.forEach((variable, honoured) -> {
            String value = env.variable(variable);
            if (value != null && !value.isEmpty() && !value.equalsIgnoreCase(honoured)) {
                throw Pgk8sException.badInput(variable + " is set, but pgk8s cannot honour it"
                        + (honoured.isEmpty() ? "" : " other than '" + honoured + "'")
                        + ", unset it (see README, Connection settings)");
            }
        });
    }

    private static Map<String, String> fromOptions(ConnectionOptions o) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("host", o.host());
        map.put("port", o.port());
        map.put("dbname", o.database());
        map.put("user", o.user());
        map.put("password", o.password());
        map.put("sslmode", o.sslMode());
        map.put("connect_timeout", o.connectTimeout());
        return map;
    }

    private Map<String, String> fromService() {
        String service = env.variable("PGSERVICE");
        return service == null || service.isEmpty() ? Map.of() : ServiceFile.find(service, env);
    }

    private Map<String, String> fromEnvironment() {
        Map<String, String> map = new LinkedHashMap<>();
        ENVIRONMENT.forEach((keyword, variable) -> map.put(keyword, env.variable(variable)));
        return map;
    }

    /** Quarkus datasource config, the URL parsed by pgjdbc's own parser. */
    private Map<String, String> fromConfig() {
        Map<String, String> map = new LinkedHashMap<>();
        config.apply("quarkus.datasource.username").ifPresent(v -> map.put("user", v));
        config.apply("quarkus.datasource.password").ifPresent(v -> map.put("password", v));
        Optional<String> url = config.apply("quarkus.datasource.jdbc.url");
        if (url.isEmpty() || url.get().isBlank()) {
            return map;
        }
        if (url.get().matches("(?s)[^?]*\\?(.*&)?service=.*")) {
            // pgjdbc would read pg_service.conf itself, past the environment this resolver is given.
            throw Pgk8sException.badInput("quarkus.datasource.jdbc.url sets service, which pgk8s reads only from"
                    + " PGSERVICE, remove it from the URL and set PGSERVICE");
        }
        Properties parsed = Driver.parseURL(url.get().trim(), new Properties());
        if (parsed == null) {
            // The URL is not echoed: it may hold a password.
            throw Pgk8sException.badInput("quarkus.datasource.jdbc.url is not a URL pgjdbc can parse, give "
                    + "jdbc:postgresql://host:port/database");
        }
        if ("true".equalsIgnoreCase(parsed.getProperty("ssl", "false")) && parsed.getProperty("sslmode") == null) {
            parsed.setProperty("sslmode", SslMode.VERIFY_FULL.libpqName()); // pgjdbc: ssl=true means verify-full
        }
        parsed.remove("ssl");
        for (String property : parsed.stringPropertyNames()) {
            String keyword = JDBC_PROPERTIES.get(property);
            if (keyword == null) {
                if (JDBC_HARMLESS.contains(property)) {
                    continue;
                }
                throw Pgk8sException.badInput("quarkus.datasource.jdbc.url sets " + property
                        + ", which pgk8s cannot honour, remove it from the URL");
            }
            String value = parsed.getProperty(property);
            if (keyword.equals("host")) {
                value = unbracket(value);
            } else if (keyword.equals("target_session_attrs")) {
                value = JDBC_SERVER_TYPES.get(value);
                if (value == null) {
                    throw Pgk8sException.badInput("quarkus.datasource.jdbc.url sets targetServerType="
                            + parsed.getProperty(property) + ", which pgk8s cannot honour; use any, primary or"
                            + " secondary");
                }
            }
            map.putIfAbsent(keyword, value);
        }
        return map;
    }

    /**
     * libpq's target_session_attrs (libpq docs 34.1.2): {@code any}, {@code read-write} and {@code read-only} are
     * honoured, through pgjdbc's targetServerType, which decides as libpq does (not in hot standby and not
     * read-only); {@code primary}, {@code standby} and {@code prefer-standby} look at recovery alone, which pgjdbc
     * cannot, and are refused.
     *
     * @return null for any server
     */
    static String targetSessionAttrs(String text) {
        if (text == null || text.equals("any")) {
            return null;
        }
        if (text.equals(ConnectionSettings.READ_WRITE) || text.equals(ConnectionSettings.READ_ONLY)) {
            return text;
        }
        throw Pgk8sException.badInput("target_session_attrs '" + text + "' is not supported by pgk8s, use any,"
                + " read-write or read-only");
    }

    /** pgjdbc keeps IPv6 addresses in brackets; libpq's host list has none. */
    private static String unbracket(String hosts) {
        List<String> plain = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            plain.add(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        }
        return String.join(",", plain);
    }

    /** libpq: a comma-separated list, tried in order; a host starting with / is a Unix socket directory. */
    static List<String> hosts(String text) {
        List<String> hosts = List.of(text.split(",", -1));
        if (hosts.stream().anyMatch(String::isBlank)) {
            throw Pgk8sException.badInput("host list '" + text + "' has an empty entry, name every host");
        }
        long sockets = hosts.stream().filter(h -> h.startsWith("/")).count();
        if (sockets > 0 && hosts.size() > 1) {
            throw Pgk8sException.badInput("host list '" + text + "' has a socket directory among other hosts;"
                    + " pgk8s connects to one socket directory alone, give it without the others");
        }
        return hosts;
    }

    /** libpq: one port for every host, or one port per host. */
    static List<Integer> ports(String text, int hostCount) {
        List<Integer> ports = new ArrayList<>();
        for (String port : text.split(",", -1)) {
            ports.add(port(port));
        }
        if (ports.size() != 1 && ports.size() != hostCount) {
            throw Pgk8sException.badInput("could not match " + ports.size() + " port numbers to " + hostCount
                    + " hosts, give one port for all hosts or one per host");
        }
        return ports;
    }

    /** @throws Pgk8sException exit 2 for text that is not a TCP port, 1 to 65535 */
    public static int port(String text) {
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

    /**
     * libpq's connect_timeout: whole seconds; zero or negative waits without limit; 1 counts as 2, libpq's minimum.
     * Unset, pgk8s waits {@link ConnectionSettings#DEFAULT_CONNECT_TIMEOUT_SECONDS} (libpq would wait forever).
     */
    static int connectTimeout(String text) {
        if (text == null) {
            return ConnectionSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw Pgk8sException.badInput("connect timeout '" + text + "' is not a whole number of seconds,"
                    + " give seconds (0 waits without limit)");
        }
        return seconds <= 0 ? 0 : Math.max(2, seconds);
    }

    /** libpq uses no TLS over a Unix socket, whatever sslmode says, and so reads none of its files. */
    private static Tls socketTls(Function<String, String> setting) {
        String modeText = setting.apply("sslmode");
        return new Tls(modeText == null ? SslMode.PREFER : SslMode.parse(modeText, "sslmode"), null, null, null);
    }

    /**
     * libpq's TLS files (libpq docs 34.19.3, table "Libpq/Client SSL File Usage"): the root certificate
     * (sslrootcert, else ~/.postgresql/root.crt) is required for verify-ca and verify-full, and used by require when
     * it exists; the client certificate (sslcert, else ~/.postgresql/postgresql.crt) is sent when it exists.
     */
    private Tls tls(Function<String, String> setting) {
        String modeText = setting.apply("sslmode");
        SslMode mode = modeText == null ? SslMode.PREFER : SslMode.parse(modeText, "sslmode");
        if (mode == SslMode.DISABLE) {
            return new Tls(mode, null, null, null);
        }
        String rootSetting = setting.apply("sslrootcert");
        if ("system".equals(rootSetting)) {
            throw Pgk8sException.badInput("sslrootcert=system (the operating system's CAs) is not supported by pgk8s,"
                    + " give the CA file in PGSSLROOTCERT");
        }
        Path root = rootSetting != null ? Path.of(rootSetting) : inHome(".postgresql/root.crt");
        boolean rootExists = root != null && Files.exists(root);
        if (mode.verifiesCertificate() && !rootExists) {
            throw Pgk8sException.badInput("sslmode " + mode + " needs a root certificate, and file "
                    + (root == null ? "~/.postgresql/root.crt" : root) + " does not exist;"
                    + " set PGSSLROOTCERT to the CA certificate, or use sslmode require");
        }
        // allow and prefer never verify in pgk8s: pgjdbc cannot verify only when TLS happens to be used.
        String rootCert = rootExists && (mode == SslMode.REQUIRE || mode.verifiesCertificate()) ? root.toString() : null;
        String certSetting = setting.apply("sslcert");
        Path cert = certSetting != null ? Path.of(certSetting) : inHome(".postgresql/postgresql.crt");
        if (cert == null || !Files.exists(cert)) {
            return new Tls(mode, rootCert, null, null);
        }
        String keySetting = setting.apply("sslkey");
        Path key = keySetting != null ? Path.of(keySetting) : inHome(".postgresql/postgresql.key");
        return new Tls(mode, rootCert, cert.toString(), key == null ? null : key.toString());
    }

    /**
     * libpq looks a password up per host; pgk8s sends one password to whichever host answers, so the hosts must
     * agree.
     */
    private String fromPasswordFile(String passfile, List<Server> servers, String database, String user,
            Consumer<String> warnings) {
        Path file = passfile != null ? Path.of(passfile) : inHome(".pgpass");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get(i);
            found.add(PasswordFile.lookup(file, server.host(), server.port(), database, user,
                    i == 0 ? warnings : w -> {
                    }));
        }
        if (found.stream().distinct().count() > 1) {
            throw Pgk8sException.badInput("password file " + file + " gives the hosts of " + hostList(servers)
                    + " different passwords, and pgk8s sends one; give the password in PGPASSWORD");
        }
        return found.get(0);
    }

    private static String hostList(List<Server> servers) {
        return String.join(",", servers.stream().map(Server::display).toList());
    }

    private Path inHome(String relative) {
        return env.home() == null ? null : env.home().resolve(relative);
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
