package io.learnflow.pgk8s.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.profile.Profile;

class ConnectionResolverTest {
    private static final Map<String, String> NO_ENV = Map.of();
    private static final Map<String, String> NO_CONFIG = Map.of();

    private static ConnectionResolver resolver(Map<String, String> env, Map<String, String> config) {
        return new ConnectionResolver(env::get, key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    @DisplayName("with nothing set, the settings are the spec's dev values")
    void defaultsAreTheDevProfile() {
        ConnectionSettings s = resolver(NO_ENV, NO_CONFIG).resolve(null, null, null, null, null);
        assertThat(s).isEqualTo(new ConnectionSettings("postgres.postgres.svc.cluster.local", 5432, "learnflow",
                "learnflow_user", "dev_password_change_in_prod"));
        assertThat(s).isEqualTo(ConnectionSettings.defaults(Profile.DEV));
    }

    @Test
    @DisplayName("libpq environment variables override config and defaults")
    void environmentOverridesConfig() {
        Map<String, String> env = Map.of("PGHOST", "db.env", "PGPORT", "6000", "PGDATABASE", "envdb", "PGUSER", "envuser",
                "PGPASSWORD", "envpass");
        Map<String, String> config = Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.config:7000/configdb",
                "quarkus.datasource.username", "configuser", "quarkus.datasource.password", "configpass");
        assertThat(resolver(env, config).resolve(null, null, null, null, null))
                .isEqualTo(new ConnectionSettings("db.env", 6000, "envdb", "envuser", "envpass"));
    }

    @Test
    @DisplayName("Quarkus datasource config (as Dev Services sets it) fills what the environment does not")
    void configFillsTheRest() {
        Map<String, String> config = Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.config:7000/configdb",
                "quarkus.datasource.username", "configuser", "quarkus.datasource.password", "configpass");
        assertThat(resolver(Map.of("PGUSER", "envuser"), config).resolve(null, null, null, null, null))
                .isEqualTo(new ConnectionSettings("db.config", 7000, "configdb", "envuser", "configpass"));
    }

    @Test
    @DisplayName("command-line options override everything")
    void optionsOverrideEverything() {
        Map<String, String> env = Map.of("PGHOST", "db.env", "PGPORT", "6000");
        assertThat(resolver(env, NO_CONFIG).resolve("db.flag", 5555, "flagdb", "flaguser", "flagpass"))
                .isEqualTo(new ConnectionSettings("db.flag", 5555, "flagdb", "flaguser", "flagpass"));
    }

    @Test
    @DisplayName("a PGPORT that is not a port is a usage error naming the value")
    void badPort() {
        assertThatThrownBy(() -> resolver(Map.of("PGPORT", "fivefour"), NO_CONFIG).resolve(null, null, null, null, null))
                .isInstanceOf(Pgk8sException.class)
                .hasMessage("port 'fivefour' is not a TCP port, give a number from 1 to 65535");
    }
}
