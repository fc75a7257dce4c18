package io.learnflow.pgk8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

/** Table-driven, as kubectl's rollout_status_test.go. */
class RolloutStatusTest {

    private static StatefulSet sts(long generation, Long observed, String revision) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName("postgres").withGeneration(generation).endMetadata()
                .withNewStatus().withObservedGeneration(observed).withUpdateRevision(revision).endStatus()
                .build();
    }

    private static PodBuilder pod(String revision) {
        return new PodBuilder().withNewMetadata().withName("postgres-0")
                .addToLabels(RolloutStatus.REVISION_LABEL, revision).endMetadata();
    }

    private static Pod ready(String revision) {
        return pod(revision).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no StatefulSet", null, null, false, "waiting for the StatefulSet to exist"),
                Arguments.of("not observed", sts(2, 1L, "r2"), ready("r1"), false,
                        "waiting for the StatefulSet controller to see generation 2"),
                Arguments.of("no pod", sts(1, 1L, "r1"), null, false, "waiting for postgres-0: not created yet"),
                Arguments.of("old revision, still ready", sts(2, 2L, "r2"), ready("r1"), false,
                        "waiting for postgres-0: to be replaced by revision r2"),
                Arguments.of("unschedulable", sts(1, 1L, "r1"), pod("r1").withNewStatus().withPhase("Pending")
                        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                        .withMessage("0/1 nodes are available").endCondition().endStatus().build(), false,
                        "waiting for postgres-0: Unschedulable (0/1 nodes are available)"),
                Arguments.of("container creating", sts(1, 1L, "r1"), pod("r1").withNewStatus().withPhase("Pending")
                        .addNewContainerStatus().withName("postgres").withNewState().withNewWaiting()
                        .withReason("ContainerCreating").endWaiting().endState().endContainerStatus().endStatus()
                        .build(), false, "waiting for postgres-0: ContainerCreating"),
                Arguments.of("running, probe not passed", sts(1, 1L, "r1"), pod("r1").withNewStatus()
                        .withPhase("Running").addNewCondition().withType("Ready").withStatus("False").endCondition()
                        .endStatus().build(), false, "waiting for postgres-0: Running, not ready yet"),
                Arguments.of("old revision, stuck: replaced", sts(2, 2L, "r2"), pod("r1").withNewStatus()
                        .withPhase("Pending").addNewContainerStatus().withName("postgres").withNewState()
                        .withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState().endContainerStatus()
                        .endStatus().build(), false,
                        "waiting for postgres-0: ImagePullBackOff on revision r1, so replaced by revision r2"),
                Arguments.of("old revision, first boot running, not ready: left alone", sts(2, 2L, "r2"),
                        pod("r1").withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                        .withStatus("False").endCondition().addNewContainerStatus().withName("postgres")
                        .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus()
                        .build(), false, "waiting for postgres-0: to be replaced by revision r2"),
                Arguments.of("old revision, creating: left alone", sts(2, 2L, "r2"), pod("r1").withNewStatus()
                        .withPhase("Pending").addNewContainerStatus().withName("postgres").withNewState()
                        .withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus()
                        .endStatus().build(), false, "waiting for postgres-0: to be replaced by revision r2"),
                Arguments.of("ready", sts(1, 1L, "r1"), ready("r1"), true, "postgres-0 Ready"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluate(String name, StatefulSet statefulSet, Pod pod, boolean done, String message) {
        RolloutStatus.Verdict verdict = RolloutStatus.evaluate(statefulSet, pod, "postgres-0");
        assertThat(verdict.done()).isEqualTo(done);
        assertThat(verdict.message()).isEqualTo(message);
        assertThat(verdict.replacePod()).as("replace the pod").isEqualTo(message.contains("so replaced"));
    }
}
