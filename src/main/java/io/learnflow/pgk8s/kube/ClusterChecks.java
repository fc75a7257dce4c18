package io.learnflow.pgk8s.kube;

import java.util.List;
import java.util.stream.Stream;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.learnflow.pgk8s.deploy.RolloutStatus;
import io.learnflow.pgk8s.health.DatabaseChecks;
import io.learnflow.pgk8s.profile.Profile;

/**
 * verify's Kubernetes checks (spec 8.4, step 1): the StatefulSet exists, its pod is Running and Ready, and the
 * Service has a ready endpoint. {@link #evaluate} is pure; {@link #read} asks the API server.
 */
public final class ClusterChecks {
    public static final String KUBERNETES = "kubernetes";
    public static final String STATEFULSET = "statefulset";
    public static final String POD = "pod";
    public static final String SERVICE = "service";
    /** The label by which an EndpointSlice names its Service (discovery.k8s.io/v1). */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ClusterChecks() {
    }

    /** The one check when there is no cluster to ask: it did not run, and says why. */
    public static HealthCheckResponse skipped(String reason) {
        return DatabaseChecks.skipped(KUBERNETES, reason);
    }

    /** @param slices the Service's EndpointSlices, any number (one per address family, more past 100 endpoints) */
    public static List<HealthCheckResponse> evaluate(Profile profile, StatefulSet statefulSet, Pod pod,
            List<EndpointSlice> slices) {
        String podName = profile.podName();
        String podReason;
        if (pod == null) {
            podReason = podName + " not found";
        } else if (pod.getMetadata().getDeletionTimestamp() != null) {
            podReason = podName + " not ready: Terminating";
        } else if (isRunning(pod) && RolloutStatus.isReady(pod)) {
            podReason = null;
        } else {
            podReason = podName + " not ready: " + RolloutStatus.podState(pod);
        }
        List<String> ready = slices.stream().filter(s -> s.getEndpoints() != null)
                .flatMap(s -> s.getEndpoints().stream()).filter(ClusterChecks::isReady)
                .flatMap(e -> e.getAddresses() == null ? Stream.of("") : e.getAddresses().stream())
                .toList();
        return List.of(
                DatabaseChecks.check(STATEFULSET, statefulSet != null, statefulSet != null
                        ? profile.statefulSetName() + " in namespace " + profile.namespace()
                        : profile.statefulSetName() + " not found in namespace " + profile.namespace()
                                + ", run pgk8s deploy (or --no-k8s for a database outside this cluster)"),
                DatabaseChecks.check(POD, podReason == null, podReason == null ? podName + " Running and Ready"
                        : podReason),
                DatabaseChecks.check(SERVICE, !ready.isEmpty(), ready.isEmpty()
                        ? profile.serviceName() + " has no ready endpoint"
                        : profile.serviceName() + " has a ready endpoint" + addresses(ready)));
    }

    /** Every check down: the first with {@code reason}, the others not checked. */
    public static List<HealthCheckResponse> failed(String reason) {
        return List.of(DatabaseChecks.check(STATEFULSET, false, reason),
                DatabaseChecks.check(POD, false, DatabaseChecks.NOT_CHECKED),
                DatabaseChecks.check(SERVICE, false, DatabaseChecks.NOT_CHECKED));
    }

    /** Asks the API server; a request that fails fails the checks, with kubectl's kind of reason. */
    public static List<HealthCheckResponse> read(KubernetesClient client, Profile profile) {
        String what = "statefulset.apps/" + profile.statefulSetName();
        try {
            StatefulSet statefulSet = client.apps().statefulSets().inNamespace(profile.namespace())
                    .withName(profile.statefulSetName()).get();
            what = "pod/" + profile.podName();
            Pod pod = client.pods().inNamespace(profile.namespace()).withName(profile.podName()).get();
            what = "endpointslices of service/" + profile.serviceName();
            List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(profile.namespace())
                    .withLabel(SERVICE_NAME_LABEL, profile.serviceName()).list().getItems();
            return evaluate(profile, statefulSet, pod, slices);
        } catch (KubernetesClientException e) {
            return failed(KubeErrors.translate(e, client.getMasterUrl(), what).getMessage());
        }
    }

    private static boolean isRunning(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    // discovery.k8s.io/v1: "A nil value should be interpreted as true".
    private static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
    }

    private static String addresses(List<String> addresses) {
        List<String> known = addresses.stream().filter(a -> !a.isEmpty()).distinct().toList();
        return known.isEmpty() ? "" : " (" + String.join(", ", known) + ")";
    }
}
