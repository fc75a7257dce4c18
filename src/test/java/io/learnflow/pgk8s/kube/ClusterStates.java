package io.learnflow.pgk8s.kube;

import java.util.List;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.learnflow.pgk8s.profile.Profile;

/** The objects verify reads from a cluster, as the API server would return them, for the pure evaluator. */
public final class ClusterStates {
    static final Profile P = Profile.DEV;

    private ClusterStates() {
    }

    /** What a healthy deployment gives: every Kubernetes check up. */
    public static List<HealthCheckResponse> healthy() {
        return ClusterChecks.evaluate(P, statefulSet(), readyPod(), List.of(slice(true)));
    }

    static StatefulSet statefulSet() {
        return new StatefulSetBuilder().withNewMetadata().withName(P.statefulSetName()).withNamespace(P.namespace())
                .endMetadata().build();
    }

    static Pod readyPod() {
        return pod("Running", "True", UnaryOperator.identity());
    }

    static Pod pod(String phase, String ready, UnaryOperator<PodBuilder> more) {
        return more.apply(new PodBuilder()
                .withNewMetadata()
                    .withName(P.podName())
                .endMetadata()
                .withNewStatus()
                    .withPhase(phase)
                    .addNewCondition()
                        .withType("Ready")
                        .withStatus(ready)
                    .endCondition()
                .endStatus()).build();
    }

    /** @param ready the endpoint's {@code conditions.ready}; null leaves it unset */
    static EndpointSlice slice(Boolean ready) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                    .withName(P.serviceName() + "-abcde")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                    .withAddresses("10.0.0.7")
                    .withNewConditions()
                        .withReady(ready)
                    .endConditions()
                .endEndpoint()
                .build();
    }
}
