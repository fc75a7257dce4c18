package io.learnflow.pgk8s.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * Whether the one-replica StatefulSet is rolled out and its pod Ready, and if not, why, in kubectl's words
 * (after {@code kubectl rollout status}'s StatefulSet viewer). Pure: the watch calls it on every event.
 */
public final class RolloutStatus {
    /** The label that names a pod's revision of its StatefulSet (set by the StatefulSet controller). */
    static final String REVISION_LABEL = "controller-revision-hash";
    /** The kubelet's waiting reasons that no wait ends: the pod's spec must change. */
    private static final Set<String> STUCK_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff");

    /**
     * @param replacePod the pod is stuck on an old revision (see {@link #stuck}): the StatefulSet controller never
     *                   replaces a pod that is not Ready (OrderedReady waits for it first, kubernetes#67250), so a
     *                   fixed template (a good image after a bad one) would wait forever unless the pod is deleted
     */
    public record Verdict(boolean done, String message, boolean replacePod) {
    }

    private RolloutStatus() {
    }

    public static Verdict evaluate(StatefulSet statefulSet, Pod pod, String podName) {
        if (statefulSet == null) {
            return waiting("the StatefulSet to exist");
        }
        var status = statefulSet.getStatus();
        long generation = Optional.ofNullable(statefulSet.getMetadata().getGeneration()).orElse(0L);
        if (status == null || status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return waiting("the StatefulSet controller to see generation " + generation);
        }
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return waiting(podName + ": " + (pod == null ? "not created yet" : "Terminating"));
        }
        String revision = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(REVISION_LABEL);
        if (status.getUpdateRevision() != null && !Objects.equals(revision, status.getUpdateRevision())) {
            if (stuck(pod)) {
                return new Verdict(false, "waiting for " + podName + ": " + podState(pod) + " on revision "
                        + revision + ", so replaced by revision " + status.getUpdateRevision(), true);
            }
            return waiting(podName + ": to be replaced by revision " + status.getUpdateRevision());
        }
        if (isReady(pod)) {
            return new Verdict(true, podName + " Ready", false);
        }
        return waiting(podName + ": " + podState(pod));
    }

    /**
     * Waiting for something that will not come by itself: unschedulable, or a container that cannot start (its image,
     * its config) or keeps crashing. Never a pod whose containers run: one in its first boot (initdb, the init
     * scripts) must not be killed, or a restart would skip the scripts on the data directory it left.
     */
    static boolean stuck(Pod pod) {
        if (pod.getStatus() == null) {
            return false;
        }
        List<PodCondition> conditions = pod.getStatus().getConditions() == null ? List.of()
                : pod.getStatus().getConditions();
        boolean unschedulable = conditions.stream()
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
        List<ContainerStatus> containers = pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
        boolean running = containers.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
        boolean cannotStart = containers.stream().anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null
                && STUCK_REASONS.contains(c.getState().getWaiting().getReason()));
        return !running && (unschedulable || cannotStart);
    }

    /** Phase, then the most telling reason: unschedulable, the container's waiting reason, or not ready. */
    public static String podState(Pod pod) {
        List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? List.of()
                : pod.getStatus().getConditions();
        for (PodCondition c : conditions) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                return firstNonNull(c.getReason(), "Unschedulable") + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
            }
        }
        List<ContainerStatus> containers = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of()
                : pod.getStatus().getContainerStatuses();
        for (ContainerStatus c : containers) {
            if (c.getState() != null && c.getState().getWaiting() != null) {
                var waiting = c.getState().getWaiting();
                return firstNonNull(waiting.getReason(), "Waiting")
                        + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
            }
            if (c.getState() != null && c.getState().getTerminated() != null) {
                return "Terminated (" + firstNonNull(c.getState().getTerminated().getReason(), "exit "
                        + c.getState().getTerminated().getExitCode()) + ")";
            }
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Running".equals(phase)) {
            return "Running, not ready yet";
        }
        return phase == null ? "Pending" : phase;
    }

    /** The pod's Ready condition is True. */
    public static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Verdict waiting(String what) {
        return new Verdict(false, "waiting for " + what, false);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
