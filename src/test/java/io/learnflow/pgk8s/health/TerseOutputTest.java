package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.db.LearnFlowSchema;
import io.learnflow.pgk8s.kube.ClusterChecks;
import io.learnflow.pgk8s.kube.ClusterStates;
import io.learnflow.pgk8s.kube.KubeTarget;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Tokens;

class TerseOutputTest {

    @Test
    @DisplayName("verify's healthy output, with the in-cluster host name, is at most 40 cl100k_base tokens")
    void verifyHealthyIsTerse() {
        DbSnapshot inCluster = new DbSnapshot(ConnectionSettings.defaults(Profile.DEV), null, true,
                Set.copyOf(LearnFlowSchema.TABLES), new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)));
        String output = VerifyReport.text(DatabaseChecks.evaluate(inCluster, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));

        assertThat(output).isEqualTo("✓ PostgreSQL healthy: postgres.postgres.svc.cluster.local:5432/learnflow"
                + " at version 12, ahead of this image's 10");
        assertThat(Tokens.count(output)).as("tokens in: " + output).isLessThanOrEqualTo(Tokens.RESULT_LIMIT);
    }

    @Test
    @DisplayName("with the Kubernetes checks passing, or skipped, verify's healthy stdout is the same one line")
    void verifyHealthyWithClusterIsTerse() {
        List<HealthCheckResponse> db = DatabaseChecks.evaluate(new DbSnapshot(ConnectionSettings.defaults(Profile.DEV),
                null, true, Set.copyOf(LearnFlowSchema.TABLES), new TreeSet<>(List.of(1, 2, 3))), List.of(1, 2, 3));
        String expected = "✓ PostgreSQL healthy: postgres.postgres.svc.cluster.local:5432/learnflow at version 3";

        for (List<HealthCheckResponse> cluster : List.of(ClusterStates.healthy(),
                List.of(ClusterChecks.skipped(KubeTarget.notFoundReason())))) {
            List<HealthCheckResponse> checks = new ArrayList<>(cluster);
            checks.addAll(db);
            String output = VerifyReport.text(checks);

            assertThat(output).isEqualTo(expected);
            assertThat(Tokens.count(output)).as("tokens in: " + output).isLessThanOrEqualTo(Tokens.RESULT_LIMIT);
        }
    }
}
