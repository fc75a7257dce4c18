package io.learnflow.pgk8s.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files for tests that need a cluster that is not there. */
public final class Kubeconfigs {
    private Kubeconfigs() {
    }

    /** A kubeconfig whose one context points at {@code https://127.0.0.1:<port>}, with a token, no CA check. */
    public static Path pointingAt(Path dir, int port) {
        try {
            return Files.writeString(dir.resolve("kubeconfig-" + port), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: nowhere
                      cluster:
                        server: https://127.0.0.1:%d
                        insecure-skip-tls-verify: true
                    users:
                    - name: someone
                      user:
                        token: not-a-real-token
                    contexts:
                    - name: nowhere
                      context:
                        cluster: nowhere
                        user: someone
                    current-context: nowhere
                    """.formatted(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
