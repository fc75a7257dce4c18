package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.TestPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** /q/health/ready serves the same checks as verify, when a long-running mode enables HTTP. */
@QuarkusTest
@TestProfile(ReadinessEndpointTest.HttpOnEmptyDatabase.class)
class ReadinessEndpointTest {

    public static class HttpOnEmptyDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ConnectionSettings db = TestPostgres.shared().newDatabase();
            return Map.of("quarkus.http.host-enabled", "true",
                    "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                    "quarkus.datasource.username", db.user(),
                    "quarkus.datasource.password", db.password());
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    @DisplayName("an unmigrated database is DOWN on /q/health/ready, with each check's verdict")
    void reportsChecks() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"name\": \"postgresql\"", "\"status\": \"DOWN\"",
                "\"connect\": \"UP", "\"database\": \"UP", "\"tables\": \"DOWN missing users");
    }
}
