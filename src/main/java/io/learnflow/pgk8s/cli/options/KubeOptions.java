package io.learnflow.pgk8s.cli.options;

import java.nio.file.Path;
import java.util.Optional;

import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.kube.ClusterAccess;
import io.learnflow.pgk8s.kube.KubeTarget;
import picocli.CommandLine.Option;

/** Which cluster, as kubectl's flags say it; without them KUBECONFIG, ~/.kube/config, then the ServiceAccount. */
public class KubeOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file (default: KUBECONFIG,"
            + " ~/.kube/config, or the pod's ServiceAccount)")
    Path kubeconfig;
    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: its current one)")
    String context;

    /** The cluster, or exit 2 when none is configured. */
    public KubeTarget require() {
        return KubeTarget.require(kubeconfig, context);
    }

    /** The cluster, if one is configured. */
    public Optional<KubeTarget> find() {
        return KubeTarget.find(kubeconfig, context);
    }

    /**
     * For commands that can do without a cluster: the one configured, looked for in {@code environment}'s
     * KUBECONFIG and home, unless {@code noK8s}.
     */
    public ClusterAccess access(boolean noK8s, ConnectionEnvironment environment) {
        return ClusterAccess.choose(noK8s, () -> KubeTarget.find(kubeconfig, context, environment));
    }
}
