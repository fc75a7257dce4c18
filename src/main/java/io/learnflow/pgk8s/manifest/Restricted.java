package io.learnflow.pgk8s.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.learnflow.pgk8s.profile.Profile;

/** The pieces of a pod that Pod Security {@code restricted} admits, shared by the toolkit and example pods. */
final class Restricted {
    static final String TMP = "tmp";

    private Restricted() {
    }

    /** Non-root as {@code uid}, {@code RuntimeDefault} seccomp. */
    static PodSecurityContext pod(long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    /** No privilege escalation, every capability dropped, a read-only root. */
    static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                    .withDrop("ALL")
                .endCapabilities()
                .build();
    }

    /** What one toolkit or example container may use. */
    static ResourceRequirements toolkitResources() {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(Profile.TOOLKIT_CPU_REQUEST));
        requests.put("memory", new Quantity(Profile.TOOLKIT_MEMORY));
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("cpu", new Quantity(Profile.TOOLKIT_CPU_LIMIT));
        limits.put("memory", new Quantity(Profile.TOOLKIT_MEMORY));
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }

    /** /tmp on an emptyDir: the only place the CLI writes. */
    static Volume tmpVolume() {
        return new VolumeBuilder().withName(TMP).withNewEmptyDir().endEmptyDir().build();
    }

    static VolumeMount tmpMount() {
        return new VolumeMountBuilder().withName(TMP).withMountPath("/tmp").build();
    }
}
