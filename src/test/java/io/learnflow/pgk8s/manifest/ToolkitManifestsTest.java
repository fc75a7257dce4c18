package io.learnflow.pgk8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.learnflow.pgk8s.profile.Profile;

/** The toolkit's and the example services' objects: restricted pods, least-privilege RBAC, Jobs that can re-apply. */
class ToolkitManifestsTest {

    private static List<HasMetadata> all() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (Profile profile : List.of(Profile.DEV, Profile.PROD)) {
            for (Manifests.Component component : Manifests.Component.values()) {
                objects.addAll(Manifests.forRender(component, profile, ManifestFilesTest.schema()));
            }
        }
        return objects;
    }

    private static PodSpec podSpec(HasMetadata object) {
        if (object instanceof Deployment d) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (object instanceof StatefulSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        if (object instanceof Job j) {
            return j.getSpec().getTemplate().getSpec();
        }
        if (object instanceof CronJob c) {
            return c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        }
        return null;
    }

    private static <T> List<T> of(Class<T> type) throws IOException {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    @DisplayName("every pod of every component meets restricted, with a read-only root and requests and limits")
    void everyPodRestricted() throws IOException {
        List<HasMetadata> withPods = all().stream().filter(o -> podSpec(o) != null).toList();
        assertThat(withPods).hasSizeGreaterThanOrEqualTo(10);
        for (HasMetadata object : withPods) {
            PodSpec pod = podSpec(object);
            String name = Manifests.displayName(object);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            assertThat(pod.getHostNetwork()).as(name).isNull();
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.addAll(pod.getInitContainers());
            for (Container c : containers) {
                String which = name + " " + c.getName();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(which).isFalse();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(which).isTrue();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(which).containsExactly("ALL");
                assertThat(c.getResources().getRequests()).as(which).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(which).containsKeys("cpu", "memory");
                assertThat(c.getVolumeMounts()).as(which).anyMatch(m -> m.getMountPath().equals("/tmp"));
            }
        }
    }

    @Test
    @DisplayName("the Role: no wildcard, claims read only, no delete but the StatefulSet's and its one pod's; the ClusterRole: namespaces only")
    void leastPrivilege() throws IOException {
        for (Role role : of(Role.class)) {
            for (PolicyRule rule : role.getRules()) {
                assertThat(rule.getVerbs()).doesNotContain("*");
                assertThat(rule.getResources()).doesNotContain("*");
                if (rule.getResources().contains("persistentvolumeclaims")) {
                    assertThat(rule.getVerbs()).containsExactly("get");
                }
                assertThat(rule.getApiGroups()).doesNotContain("*");
                if (rule.getVerbs().contains("delete")) {
                    assertThat(rule.getResources()).isIn(List.of("statefulsets"), List.of("pods"));
                }
                if (rule.getVerbs().contains("delete")) {
                    assertThat(rule.getVerbs()).containsExactly("delete");
                    assertThat(rule.getResourceNames()).as("the one pod or StatefulSet")
                            .containsExactly(rule.getResources().contains("pods") ? "postgres-0" : "postgres");
                }
            }
        }
        for (ClusterRole role : of(ClusterRole.class)) {
            assertThat(role.getRules()).allSatisfy(rule -> assertThat(rule.getResources()).containsExactly("namespaces"));
            assertThat(role.getRules()).filteredOn(rule -> rule.getResourceNames().isEmpty())
                    .singleElement().satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("create"));
            assertThat(role.getRules()).filteredOn(rule -> !rule.getResourceNames().isEmpty())
                    .singleElement().satisfies(rule -> {
                        assertThat(rule.getResourceNames()).containsExactly("postgres");
                        assertThat(rule.getVerbs()).containsExactly("get", "patch");
                    });
        }
    }

    @Test
    @DisplayName("Jobs: bounded retries and time, exit 2 fails at once, no probes; only the bootstrap has a token")
    void jobs() throws IOException {
        List<JobSpec> specs = new ArrayList<>();
        of(Job.class).forEach(j -> specs.add(j.getSpec()));
        of(CronJob.class).forEach(c -> specs.add(c.getSpec().getJobTemplate().getSpec()));
        assertThat(specs).hasSize(6);
        for (JobSpec spec : specs) {
            assertThat(spec.getBackoffLimit()).isPositive();
            assertThat(spec.getActiveDeadlineSeconds()).isPositive();
            assertThat(spec.getPodFailurePolicy().getRules()).anySatisfy(rule -> {
                assertThat(rule.getAction()).isEqualTo("FailJob");
                assertThat(rule.getOnExitCodes().getValues()).containsExactly(2);
            });
            PodSpec pod = spec.getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).isEqualTo("Never");
            assertThat(pod.getContainers()).allSatisfy(c -> {
                assertThat(c.getReadinessProbe()).isNull();
                assertThat(c.getLivenessProbe()).isNull();
                assertThat(c.getStartupProbe()).isNull();
            });
            assertThat(spec.getTemplate().getMetadata().getLabels()).containsEntry(Profile.CLIENT_LABEL, "true");
            boolean bootstrap = pod.getInitContainers().stream().anyMatch(c -> c.getArgs().get(0).equals("deploy"));
            assertThat(pod.getAutomountServiceAccountToken()).as("no token in every container").isFalse();
            assertThat(pod.getServiceAccountName()).isEqualTo(bootstrap ? "pgk8s" : null);
            String tokenDir = "/var/run/secrets/kubernetes.io/serviceaccount";
            assertThat(pod.getInitContainers()).as("deploy alone has the API token")
                    .allSatisfy(c -> assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals(tokenDir)
                            && m.getReadOnly()));
            assertThat(pod.getContainers()).as("migrate has no token")
                    .allSatisfy(c -> assertThat(c.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals(tokenDir)));
            assertThat(pod.getVolumes()).filteredOn(v -> v.getProjected() != null).hasSize(bootstrap ? 1 : 0)
                    .allSatisfy(v -> assertThat(v.getProjected().getSources()).anyMatch(
                            source -> source.getServiceAccountToken() != null));
        }
        for (CronJob cron : of(CronJob.class)) {
            assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            assertThat(cron.getSpec().getStartingDeadlineSeconds()).isPositive();
            assertThat(cron.getSpec().getSuccessfulJobsHistoryLimit()).isBetween(1, 5);
            assertThat(cron.getSpec().getFailedJobsHistoryLimit()).isBetween(1, 5);
        }
    }

    @Test
    @DisplayName("a Job's name follows the profile and the image tag, so an upgrade re-applies as a new Job")
    void jobNamePerTag() {
        Profile next = Profile.PROD.withToolkitImage("ghcr.io/learnflow/pgk8s:0.2.0");
        String bootstrap = Toolkit.bootstrapJob(Profile.PROD).getMetadata().getName();
        assertThat(bootstrap).matches("pgk8s-bootstrap-prod-0-1-0-[0-9a-f]{1,5}");
        assertThat(Toolkit.bootstrapJob(Profile.PROD.withImage("postgres:16.4-alpine")).getMetadata().getName())
                .as("another PostgreSQL image, another Job").startsWith("pgk8s-bootstrap-prod-0-1-0-")
                .isNotEqualTo(bootstrap);
        assertThat(Toolkit.migrateJob(next).getMetadata().getName()).isEqualTo("pgk8s-migrate-0-2-0");
        assertThat(Toolkit.migrateJob(next).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/learnflow/pgk8s:0.2.0");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ghcr.io/learnflow/pgk8s:0.1.0, 0-1-0",
            "localhost:5000/pgk8s, latest",
            "pgk8s:V1.2_rc.3, v1-2-rc-3",
            "pgk8s@sha256:0123456789abcdef0123, 0123456789ab",
            "pgk8s:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
    void tagLabels(String image, String label) {
        assertThat(Profile.imageTagLabel(image)).isEqualTo(label);
    }

    @Test
    @DisplayName("services: no token, the client label, and a pgk8s wait init container with the app Secret's variables")
    void services() throws IOException {
        for (Deployment d : of(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(d.getMetadata().getNamespace()).isEqualTo(Profile.SERVICES_NAMESPACE);
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Profile.CLIENT_LABEL, "true")
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            assertThat(pod.getInitContainers()).singleElement().satisfies(c -> {
                assertThat(c.getArgs()).containsExactly("wait");
                assertThat(c.getEnvFrom()).singleElement()
                        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("postgres-app"));
            });
        }
        assertThat(of(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactly("progress", "triage", "progress", "triage");
    }
}
