package io.learnflow.pgk8s.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.testing.Pgk8sProcess;

class VerifyProcessIT {

    @Test
    @DisplayName("verify against a host that never answers gives up on its own and exits 1")
    void givesUpWhenTheHostIsSilent() throws IOException {
        // A socket that listens but is never accepted from: TCP connects, PostgreSQL's handshake never answers.
        // It stays on this machine, unlike a black-holed remote address.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConnectionSettings db = new ConnectionSettings("127.0.0.1", silent.getLocalPort(), "learnflow",
                    "learnflow_user", "secret");
            // The driver alone would wait forever here; the spec's 3 s is measured in bench/, not asserted.
            Pgk8sProcess verify = Pgk8sProcess.start("verify", db);

            assertThat(verify.exitCode(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(verify.stdout()).contains("✗ PostgreSQL not ready: connect: no answer from 127.0.0.1:"
                    + silent.getLocalPort() + " (timed out)");
        }
    }
}
