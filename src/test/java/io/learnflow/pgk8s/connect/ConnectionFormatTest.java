package io.learnflow.pgk8s.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.profile.Profile;

class ConnectionFormatTest {
    private static final ConnectionSettings DEV = ConnectionSettings.defaults(Profile.DEV);

    @Test
    @DisplayName("the text format is exactly the spec's section 8.5 block")
    void textIsTheSpecBlock() {
        assertThat(ConnectionFormat.TEXT.render(DEV)).isEqualTo("""
                Host: postgres.postgres.svc.cluster.local
                Port: 5432
                Database: learnflow
                User: learnflow_user
                Password: dev_password_change_in_prod
                Connection String: postgresql://learnflow_user:dev_password_change_in_prod@postgres.postgres.svc.cluster.local:5432/learnflow""");
    }

    @Test
    @DisplayName("jdbc, uri, env and json carry the same settings")
    void machineFormats() {
        assertThat(ConnectionFormat.JDBC.render(DEV)).isEqualTo("jdbc:postgresql://postgres.postgres.svc.cluster.local:5432"
                + "/learnflow?user=learnflow_user&password=dev_password_change_in_prod");
        assertThat(ConnectionFormat.URI.render(DEV)).isEqualTo("postgresql://learnflow_user:dev_password_change_in_prod"
                + "@postgres.postgres.svc.cluster.local:5432/learnflow");
        assertThat(ConnectionFormat.ENV.render(DEV)).contains("PGHOST=postgres.postgres.svc.cluster.local", "PGPORT=5432",
                "PGDATABASE=learnflow", "PGUSER=learnflow_user", "PGPASSWORD=dev_password_change_in_prod");
        assertThat(ConnectionFormat.JSON.render(DEV)).startsWith("{\"host\":\"postgres.postgres.svc.cluster.local\",\"port\":5432,");
    }

    @Test
    @DisplayName("special characters in credentials are escaped in URLs")
    void escapesCredentials() {
        ConnectionSettings s = new ConnectionSettings("h", 1, "d b", "u@x", "p:/?&=w rd");
        assertThat(ConnectionFormat.URI.render(s)).isEqualTo("postgresql://u%40x:p%3A%2F%3F%26%3Dw%20rd@h:1/d%20b");
        assertThat(ConnectionFormat.JDBC.render(s)).isEqualTo("jdbc:postgresql://h:1/d%20b?user=u%40x&password=p%3A%2F%3F%26%3Dw%20rd");
    }
}
