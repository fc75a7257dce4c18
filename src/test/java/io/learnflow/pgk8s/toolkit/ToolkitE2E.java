package io.learnflow.pgk8s.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.learnflow.pgk8s.deploy.DeployService;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.Manifests.Component;
import io.learnflow.pgk8s.manifest.Toolkit;
import io.learnflow.pgk8s.manifest.ToolkitRbac;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Commands;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane;
import io.learnflow.pgk8s.testing.controlplane.ControlPlaneExtension;
import io.learnflow.pgk8s.testing.controlplane.Kubectl;
import io.learnflow.pgk8s.testing.controlplane.Namespaces;
import io.learnflow.pgk8s.testing.controlplane.PersistentVolumes;

/**
 * The toolkit's manifests on the real API server with kwok's node: {@code kubectl apply -k} of every directory,
 * the bootstrap ServiceAccount's rights (by impersonation), Pod Security admission of every pod, the
 * NetworkPolicy's selectors, and the migration Job's upgrade path.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("the toolkit's manifests on the control plane")
class ToolkitE2E {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final String BOOTSTRAP_USER = "system:serviceaccount:postgres:pgk8s";

    private final ControlPlane controlPlane;
    private final KubernetesClient client;

    ToolkitE2E(ControlPlane controlPlane, KubernetesClient client) {
        this.controlPlane = controlPlane;
        this.client = client;
    }

    @BeforeAll
    @AfterAll
    void clean() {
        Namespaces.deleteAndWait(client, Profile.DEV.namespace(), Profile.SERVICES_NAMESPACE);
        client.rbac().clusterRoleBindings().withName(Profile.DEV.namespaceRoleName()).delete();
        client.rbac().clusterRoles().withName(Profile.DEV.namespaceRoleName()).delete();
    }

    @Test
    @Order(1)
    @DisplayName("kubectl apply -k of every dev directory in k8s/ succeeds, and a second apply changes nothing")
    void applyDevDirectories() {
        for (Component component : Component.values()) {
            String dir = "k8s/" + component.directory() + "/dev";
            Commands.Result first = Kubectl.run(controlPlane, "apply", "-k", dir);
            assertThat(first.exitCode()).as("%s: %s", dir, first.stderr()).isZero();
            Commands.Result second = Kubectl.run(controlPlane, "apply", "-k", dir);
            assertThat(second.exitCode()).as("%s: %s", dir, second.stderr()).isZero();
            assertThat(second.stdout().lines()).as(dir).isNotEmpty().allMatch(line -> line.endsWith(" unchanged"));
        }
    }

    @Test
    @Order(2)
    @DisplayName("every toolkit and service pod is admitted under restricted, the CronJob's template too")
    void podsAdmitted() {
        await().atMost(READY).untilAsserted(() -> {
            assertThat(client.pods().inNamespace(Profile.SERVICES_NAMESPACE).list().getItems())
                    .extracting(p -> p.getMetadata().getLabels().get("app.kubernetes.io/name"))
                    .containsExactlyInAnyOrder("progress", "triage");
            assertThat(client.pods().inNamespace("postgres").withLabel("app.kubernetes.io/name", "pgk8s").list()
                    .getItems()).extracting(p -> p.getMetadata().getLabels().get("app.kubernetes.io/component"))
                    .contains("bootstrap", "migrate");
        });
        CronJob cron = client.batch().v1().cronjobs().inNamespace("postgres")
                .withName(Profile.DEV.migrateCronJobName()).get();
        Pod fromTemplate = new PodBuilder()
                .withNewMetadata().withName("cron-admission").withNamespace("postgres")
                    .withLabels(cron.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())
                .build();
        assertThat(client.resource(fromTemplate).dryRun().create().getMetadata().getName()).isEqualTo("cron-admission");
    }

    @Test
    @Order(3)
    @DisplayName("the NetworkPolicy admits the toolkit's and the services' pods by label, not an unlabelled pod")
    void networkPolicyAdmitsClients() {
        NetworkPolicy policy = client.network().networkPolicies().inNamespace("postgres")
                .withName(Profile.DEV.networkPolicyName()).get();
        NetworkPolicyPeer peer = policy.getSpec().getIngress().get(0).getFrom().get(0);
        client.pods().inNamespace(Profile.SERVICES_NAMESPACE).resource(Namespaces.restrictedPod("stranger", java.util.Map.of())).create();

        List<String> admitted = client.pods().inAnyNamespace().withLabelSelector(peer.getPodSelector()).list()
                .getItems().stream().map(p -> p.getMetadata().getNamespace() + "/"
                        + p.getMetadata().getLabels().get("app.kubernetes.io/name")).distinct().toList();
        assertThat(admitted).contains("learnflow/progress", "learnflow/triage", "postgres/pgk8s")
                .doesNotContain("learnflow/null");
        assertThat(client.pods().inNamespace(Profile.SERVICES_NAMESPACE).withLabelSelector(peer.getPodSelector())
                .list().getItems()).noneMatch(p -> p.getMetadata().getName().equals("stranger"));
    }

    @Test
    @Order(4)
    @DisplayName("the bootstrap ServiceAccount can deploy prod end to end, and nothing beyond its Role")
    void bootstrapIdentity() {
        clean();
        // What an administrator applies once: the namespace and the toolkit's identity.
        for (HasMetadata object : List.of(
                io.learnflow.pgk8s.manifest.NamespaceManifest.build(Profile.PROD), ToolkitRbac.serviceAccount(Profile.PROD),
                ToolkitRbac.role(Profile.PROD), ToolkitRbac.roleBinding(Profile.PROD),
                ToolkitRbac.namespaceRole(Profile.PROD), ToolkitRbac.namespaceRoleBinding(Profile.PROD))) {
            client.resource(object).fieldManager("admin").forceConflicts().serverSideApply();
        }
        client.namespaces().resource(io.learnflow.pgk8s.manifest.ServicesManifests.namespace(Profile.PROD))
                .fieldManager("admin").serverSideApply();
        PersistentVolumes.create(client, 1, "10Gi");
        try (KubernetesClient bootstrap = controlPlane.newClient(config -> {
            config.getRequestConfig().setImpersonateUsername(BOOTSTRAP_USER);
            config.getRequestConfig().setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:postgres");
            return config;
        })) {
            String done = new DeployService(bootstrap, new SecureRandom()).deploy(Profile.PROD,
                    InitialSchema.bundled(), new DeployService.Options(false, false, false, READY), line -> { },
                    line -> { });
            assertThat(done).startsWith("✓ postgres prod ready in ");
            // Again, unchanged, still as the ServiceAccount.
            new DeployService(bootstrap, new SecureRandom()).deploy(Profile.PROD, InitialSchema.bundled(),
                    new DeployService.Options(false, false, false, READY), line -> assertThat(line).endsWith(" unchanged"),
                    line -> { });

            assertThatThrownBy(() -> bootstrap.secrets().inNamespace(Profile.SERVICES_NAMESPACE).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> bootstrap.secrets().inNamespace("kube-system").withName("anything").get())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> bootstrap.persistentVolumeClaims().inNamespace("postgres")
                    .withName(Profile.PROD.claimName()).delete())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> bootstrap.namespaces().withName("postgres").delete())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
        assertThat(client.persistentVolumeClaims().inNamespace("postgres").withName(Profile.PROD.claimName()).get()
                .getStatus().getPhase()).isEqualTo("Bound");
    }

    @Test
    @Order(5)
    @DisplayName("without the ClusterRole, deploy goes on past the namespace an administrator manages")
    void withoutClusterRights() {
        client.rbac().clusterRoleBindings().withName(Profile.PROD.namespaceRoleName()).delete();
        client.rbac().clusterRoleBindings().withName(Profile.PROD.namespaceRoleName())
                .waitUntilCondition(b -> b == null, 30, TimeUnit.SECONDS);
        try (KubernetesClient bootstrap = controlPlane.newClient(config -> {
            config.getRequestConfig().setImpersonateUsername(BOOTSTRAP_USER);
            return config;
        })) {
            // The authorizer follows RBAC objects through a watch: a moment after the delete.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                    () -> bootstrap.namespaces().withName("postgres").get()).isInstanceOf(KubernetesClientException.class));
            StringBuilder lines = new StringBuilder();
            new DeployService(bootstrap, new SecureRandom()).deploy(Profile.PROD, InitialSchema.bundled(),
                    new DeployService.Options(false, false, false, READY), line -> lines.append(line).append('\n'),
                    line -> { });
            assertThat(lines.toString()).startsWith("namespace/postgres skipped: forbidden to this identity")
                    .contains("statefulset.apps/postgres unchanged");
        }
    }

    @Test
    @Order(6)
    @DisplayName("the migration Job re-applied with a new image tag is a new Job; the old name could not change")
    void migrationJobUpgrade() {
        Job first = Toolkit.migrateJob(Profile.PROD);
        client.resource(first).fieldManager("pgk8s").serverSideApply();
        Job next = Toolkit.migrateJob(Profile.PROD.withToolkitImage("ghcr.io/learnflow/pgk8s:0.2.0"));

        Job applied = client.resource(next).fieldManager("pgk8s").serverSideApply();

        assertThat(applied.getMetadata().getName()).isEqualTo("pgk8s-migrate-0-2-0").isNotEqualTo(
                first.getMetadata().getName());
        assertThat(applied.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .endsWith(":0.2.0");
        // Why: the same name with the new template is refused, as quarkus#33829 reports.
        Job sameName = Toolkit.migrateJob(Profile.PROD.withToolkitImage("ghcr.io/learnflow/pgk8s:0.2.0"));
        sameName.getMetadata().setName(first.getMetadata().getName());
        assertThatThrownBy(() -> client.resource(sameName).fieldManager("pgk8s").forceConflicts().serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining("field is immutable");
    }


}
