package io.learnflow.pgk8s.db;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything outside the command line that libpq reads: its environment variables and the home directory that
 * holds {@code ~/.pgpass}, {@code ~/.pg_service.conf} and {@code ~/.postgresql/}. The resolver reads them only
 * through this, so in-JVM tests hand in their own and never see the developer's.
 */
public interface ConnectionEnvironment {
    /** The variable's value, or null when unset. */
    String variable(String name);

    /** The home directory, or null when there is none. */
    Path home();

    /** This process's environment; home is {@code HOME}, else the JVM's {@code user.home}, as libpq does. */
    static ConnectionEnvironment system() {
        return new ConnectionEnvironment() {
            @Override
            public String variable(String name) {
                return System.getenv(name);
            }

            @Override
            public Path home() {
                String home = System.getenv("HOME");
                if (home == null || home.isEmpty()) {
                    home = System.getProperty("user.home");
                }
                return home == null || home.isEmpty() ? null : Path.of(home);
            }
        };
    }

    /** A fixed environment: for tests, and for callers that must not read the process's. */
    static ConnectionEnvironment of(Map<String, String> variables, Path home) {
        Map<String, String> copy = Map.copyOf(variables);
        return new ConnectionEnvironment() {
            @Override
            public String variable(String name) {
                return copy.get(name);
            }

            @Override
            public Path home() {
                return home;
            }
        };
    }
}
