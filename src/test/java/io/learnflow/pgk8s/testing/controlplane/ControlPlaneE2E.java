package io.learnflow.pgk8s.testing.controlplane;

import io.learnflow.pgk8s.testing.Commands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ControlPlaneExtension.class)
@DisplayName("the e2e control plane")
class ControlPlaneE2E {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, String> APP = Map.of("app", "web");

    private final ControlPlane controlPlane;
    private final KubernetesClient client;
    private String namespace;

    ControlPlaneE2E(ControlPlane controlPlane, KubernetesClient client) {
        this.controlPlane = controlPlane;
        this.client = client;
    }

    @BeforeEach
    void createNamespace() {
        namespace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Namespaces.create(client, namespace, Map.of());
    }

    @AfterEach
    void deleteNamespace() {
        client.namespaces().withName(namespace).delete();
    }

    @Test
    @DisplayName("reports the Kubernetes version it was built from")
    void reportsVersion() {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
    }

    @Test
    @DisplayName("ships a kubectl of the same version that reaches the fake node")
    void kubectlReachesTheCluster() throws Exception {
        Commands.Result kubectl = Kubectl.run(controlPlane, "get", "nodes", "-o", "name");
        assertThat(kubectl.stdout()).isEqualTo("node/kwok-node-0\n");
        assertThat(kubectl.exitCode()).isZero();
    }

    @Test
    @DisplayName("runs a StatefulSet to 1/1 ready with its PVC bound to a pre-created volume")
    void statefulSetWithVolumeClaim() {
        PersistentVolumes.create(client, 1, "1Gi");
        client.apps().statefulSets().inNamespace(namespace).resource(statefulSet()).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName("web").get();
            assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(1);
        });
        PersistentVolumeClaim claim =
                client.persistentVolumeClaims().inNamespace(namespace).withName("data-web-0").get();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo(PersistentVolumes.STORAGE_CLASS);
        Pod pod = client.pods().inNamespace(namespace).withName("web-0").get();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    @DisplayName("enforces the restricted Pod Security profile where a namespace asks for it")
    void podSecurityRestricted() {
        String restricted = namespace + "-restricted";
        Namespaces.create(client, restricted, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        try {
            assertThatThrownBy(() -> client.pods().inNamespace(restricted).resource(pod("privileged", false)).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
                    .hasMessageContaining("privileged");

            Pod admitted = client.pods().inNamespace(restricted).resource(pod("restricted", true)).create();
            assertThat(admitted.getMetadata().getUid()).isNotBlank();
        } finally {
            client.namespaces().withName(restricted).delete();
        }
    }

    @Test
    @DisplayName("admits a privileged pod where no Pod Security level is set")
    void podSecurityDefaultIsPrivileged() {
        Pod admitted = client.pods().inNamespace(namespace).resource(pod("privileged", false)).create();
        assertThat(admitted.getMetadata().getUid()).isNotBlank();
    }

    @Test
    @DisplayName("denies a ServiceAccount without rights, while the admin may")
    void rbacDeniesServiceAccountWithoutRights() {
        client.serviceAccounts().inNamespace(namespace)
                .resource(new ServiceAccountBuilder().withNewMetadata().withName("nobody").endMetadata().build())
                .create();
        String user = "system:serviceaccount:" + namespace + ":nobody";
        try (KubernetesClient nobody = controlPlane.newClient(config -> {
            config.getRequestConfig().setImpersonateUsername(user);
            return config;
        })) {
            assertThatThrownBy(() -> nobody.pods().inNamespace(namespace).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageContaining(user);
        }
        assertThat(client.pods().inNamespace(namespace).list().getItems()).isEmpty();
    }

    @Test
    @DisplayName("keeps the generation when the same object is server-side applied twice")
    void serverSideApplyTwiceKeepsGeneration() {
        Deployment first = apply(deployment());
        Deployment second = apply(deployment());

        assertThat(first.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(second.getMetadata().getGeneration()).isEqualTo(1L);

        Deployment changed = deployment();
        changed.getSpec().setReplicas(2);
        assertThat(apply(changed).getMetadata().getGeneration()).as("a real change bumps it").isEqualTo(2L);
    }

    @Test
    @DisplayName("finishes deleting a namespace that holds running pods")
    void namespaceDeletionFinishes() {
        String doomed = namespace + "-doomed";
        Namespaces.create(client, doomed, Map.of());
        client.apps().deployments().inNamespace(doomed).resource(deployment()).create();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                client.pods().inNamespace(doomed).withLabels(APP).list().getItems())
                .hasSize(1)
                .allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Running")));

        client.namespaces().withName(doomed).delete();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.namespaces().withName(doomed).get()).isNull());
    }

    private Deployment apply(Deployment deployment) {
        return client.apps().deployments().inNamespace(namespace).resource(deployment)
                .fieldManager("pgk8s-e2e").forceConflicts().serverSideApply();
    }

    private static Pod pod(String name, boolean restricted) {
        return new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                .endMetadata()
                .withNewSpec()
                    .withNewSecurityContext()
                        .withRunAsNonRoot(restricted ? true : null)
                        .withNewSeccompProfile()
                            .withType("RuntimeDefault")
                        .endSeccompProfile()
                    .endSecurityContext()
                    .addNewContainer()
                        .withName("main")
                        .withImage("postgres:16")
                        .withNewSecurityContext()
                            .withPrivileged(restricted ? null : true)
                            .withAllowPrivilegeEscalation(restricted ? false : null)
                            .withNewCapabilities()
                                .withDrop(restricted ? "ALL" : null)
                            .endCapabilities()
                        .endSecurityContext()
                    .endContainer()
                .endSpec()
                .build();
    }

    private static Deployment deployment() {
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName("web")
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                        .withMatchLabels(APP)
                    .endSelector()
                    .withTemplate(template(new ContainerBuilder()))
                .endSpec()
                .build();
    }

    // kwok runs no containers, so the image is never pulled.
    private static PodTemplateSpec template(ContainerBuilder container) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(APP)
                .endMetadata()
                .withNewSpec()
                    .addToContainers(container.withName("main").withImage("postgres:16").build())
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet() {
        return new StatefulSetBuilder()
                .withNewMetadata()
                    .withName("web")
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withServiceName("web")
                    .withNewSelector()
                        .withMatchLabels(APP)
                    .endSelector()
                    .withTemplate(template(new ContainerBuilder()
                            .withNewResources()
                                .addToRequests("cpu", new Quantity("1"))
                                .addToRequests("memory", new Quantity("2Gi"))
                            .endResources()
                            .addNewVolumeMount()
                                .withName("data")
                                .withMountPath("/var/lib/postgresql/data")
                            .endVolumeMount()))
                    .addNewVolumeClaimTemplate()
                        .withNewMetadata()
                            .withName("data")
                        .endMetadata()
                        .withNewSpec()
                            .withAccessModes("ReadWriteOnce")
                            .withNewResources()
                                .addToRequests("storage", new Quantity("1Gi"))
                            .endResources()
                        .endSpec()
                    .endVolumeClaimTemplate()
                .endSpec()
                .build();
    }
}
