package io.learnflow.pgk8s.kube;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import io.learnflow.pgk8s.profile.Profile;

/**
 * Whether a command that can do without a cluster ({@code verify}, {@code connection}) uses one: the cluster found
 * as kubectl finds it, or why not.
 *
 * @param skipReason why there is no target, for a {@code -} or {@code note:} line; null when there is one
 */
public record ClusterAccess(Optional<KubeTarget> target, String skipReason) {
    /**
     * To connect, and for each request to the API server. With JVM start-up and the client's own (about 0.5 s each
     * on 2 loaded cores), an API server that never answers still lets verify answer within its 3 s.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    /** Whose names to look for: every profile uses the same namespace, StatefulSet, pod, Service and Secrets. */
    public static final Profile NAMES = Profile.DEV;
    static final String NO_K8S = "--no-k8s";

    /** @param find looks for the cluster; not called with {@code noK8s}, so a bad --kubeconfig does not matter */
    public static ClusterAccess choose(boolean noK8s, Supplier<Optional<KubeTarget>> find) {
        if (noK8s) {
            return new ClusterAccess(Optional.empty(), NO_K8S);
        }
        Optional<KubeTarget> target = find.get();
        return new ClusterAccess(target, target.isPresent() ? null : KubeTarget.notFoundReason());
    }
}
