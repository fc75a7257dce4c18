package io.learnflow.pgk8s.testing.controlplane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.learnflow.pgk8s.testing.Commands;

/** The harness's own kubectl, of the cluster's version, run as a user runs it against the admin kubeconfig. */
public final class Kubectl {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Kubectl() {
    }

    public static Commands.Result run(ControlPlane controlPlane, String... args) {
        List<String> command = new ArrayList<>(List.of(controlPlane.binary("kubectl").toString(),
                "--kubeconfig", controlPlane.kubeconfig().toString()));
        command.addAll(List.of(args));
        return Commands.run(TIMEOUT, null, command);
    }
}
