package io.learnflow.pgk8s.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The seam through which the resolver reads PG* variables and the home directory. */
class ConnectionEnvironmentTest {

    @Test
    @DisplayName("the system environment is the process's variables, and HOME as libpq reads it")
    void system() {
        ConnectionEnvironment env = ConnectionEnvironment.system();
        assertThat(env.variable("PATH")).isEqualTo(System.getenv("PATH"));
        assertThat(env.variable("PGK8S_NO_SUCH_VARIABLE")).isNull();
        String home = System.getenv("HOME");
        assertThat(env.home()).isEqualTo(Path.of(home == null || home.isEmpty() ? System.getProperty("user.home")
                : home));
    }

    @Test
    @DisplayName("a fixed environment answers only what it was given, whatever the process has")
    void fixed() {
        ConnectionEnvironment env = ConnectionEnvironment.of(Map.of("PGHOST", "given"), Path.of("/nonexistent"));
        assertThat(env.variable("PGHOST")).isEqualTo("given");
        assertThat(env.variable("PATH")).isNull();
        assertThat(env.home()).isEqualTo(Path.of("/nonexistent"));
    }
}
