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
        return pointingAt(dir, port, "nowhere");
    }

    /** The same, its cluster, user and context named {@code name}. */
    public static Path pointingAt(Path dir, int port, String name) {
        try {
            return Files.writeString(dir.resolve("kubeconfig-" + port), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: %1$s
                      cluster:
                        server: https://127.0.0.1:%2$d
                        insecure-skip-tls-verify: true
                    users:
                    - name: %1$s
                      user:
                        token: not-a-real-token
                    contexts:
                    - name: %1$s
                      context:
                        cluster: %1$s
                        user: %1$s
                    current-context: %1$s
                    """.formatted(name, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
