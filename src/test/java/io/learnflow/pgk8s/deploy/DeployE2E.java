package io.learnflow.pgk8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.ManifestText;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;
import io.learnflow.pgk8s.testing.Commands;
import io.learnflow.pgk8s.testing.Pgk8sProcess;
import io.learnflow.pgk8s.testing.Tokens;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane;
import io.learnflow.pgk8s.testing.controlplane.ControlPlaneExtension;
import io.learnflow.pgk8s.testing.controlplane.Kubectl;
import io.learnflow.pgk8s.testing.controlplane.Namespaces;
import io.learnflow.pgk8s.testing.controlplane.PersistentVolumes;

/**
 * {@code pgk8s deploy} on the real API server with kwok's node (pods become Ready, no process runs): one scenario,
 * dev, then prod, in order, as an operator would run it. PostgreSQL itself runs in {@code DeployRealNodeE2E}.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("pgk8s deploy on the control plane")
class DeployE2E {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Profile DEV = Profile.DEV;
    private static final Profile PROD = Profile.PROD;

    private final ControlPlane controlPlane;
    private final KubernetesClient client;

    DeployE2E(ControlPlane controlPlane, KubernetesClient client) {
        this.controlPlane = controlPlane;
        this.client = client;
    }

    @BeforeAll
    @AfterAll
    void noPostgresNamespace() {
        Namespaces.deleteAndWait(client, DEV.namespace());
    }

    private Pgk8sProcess pgk8s(String... args) {
        Pgk8sProcess process = Pgk8sProcess.start(Map.of("KUBECONFIG", controlPlane.kubeconfig().toString()), args);
        process.exitCode(RUN);
        return process;
    }

    private <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(DEV.namespace()).withName(name).get();
    }

    @Test
    @Order(10)
    @DisplayName("--dry-run on an empty cluster reports every object as created and creates none")
    void dryRunChangesNothing() {
        Pgk8sProcess run = pgk8s("deploy", "dev", "--dry-run");
        assertThat(run.exitCode(RUN)).as(run.stderr()).isZero();
        assertThat(run.stderr().lines()).hasSize(9).allMatch(l -> l.contains(" created ("));
        assertThat(run.stdout()).isEqualTo("✓ postgres dev: server dry run passed, nothing changed\n");
        assertThat(client.namespaces().withName(DEV.namespace()).get()).isNull();
    }

    @Test
    @Order(20)
    @DisplayName("deploy dev creates every object; the StatefulSet is 1/1 by the spec's own kubectl check")
    void deployDev() {
        Pgk8sProcess run = pgk8s("deploy");
        assertThat(run.exitCode(RUN)).as(run.stderr()).isZero();
        assertThat(run.stdout()).matches(
                "✓ postgres dev ready in \\d+\\.\\ds: postgres\\.postgres\\.svc\\.cluster\\.local:5432/learnflow\n");
        assertThat(Tokens.count(run.stdout().strip())).isLessThanOrEqualTo(40);
        assertThat(run.stderr()).contains("namespace/postgres created", "secret/postgres-credentials created",
                "secret/postgres-superuser created", "secret/postgres-app created",
                "configmap/postgres-init-schema created", "service/postgres created",
                "service/postgres-headless created", "networkpolicy.networking.k8s.io/postgres-clients created",
                "statefulset.apps/postgres created");

        Namespace ns = client.namespaces().withName("postgres").get();
        assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        assertThat(get(ConfigMap.class, "postgres-init-schema")).isNotNull();
        assertThat(get(NetworkPolicy.class, "postgres-clients")).isNotNull();
        assertThat(get(io.fabric8.kubernetes.api.model.Service.class, "postgres").getSpec().getType())
                .isEqualTo("ClusterIP");
        assertThat(SecretManifests.value(get(Secret.class, "postgres-credentials"), "POSTGRES_PASSWORD"))
                .isEqualTo("dev_password_change_in_prod");

        Commands.Result sts = Kubectl.run(controlPlane, "get", "statefulset", "-n", "postgres");
        assertThat(sts.exitCode()).as(sts.stderr()).isZero();
        assertThat(sts.stdout().lines()).anyMatch(line -> line.matches("postgres.*1/1.*"));
        // Admitted under restricted: the StatefulSet controller could create the pod.
        assertThat(get(Pod.class, "postgres-0").getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    @Order(30)
    @DisplayName("the NetworkPolicy selects the postgres pod, and as clients labelled pods in any namespace only")
    void networkPolicySelectors() {
        String other = "np-clients";
        Namespaces.create(client, other, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        try {
            client.pods().inNamespace(other).resource(Namespaces.restrictedPod("client", Map.of(Profile.CLIENT_LABEL, "true"))).create();
            client.pods().inNamespace(other).resource(Namespaces.restrictedPod("stranger", Map.of("app", "stranger"))).create();
            NetworkPolicy policy = get(NetworkPolicy.class, "postgres-clients");

            // The API server evaluates the selectors, as the network plugin would.
            assertThat(client.pods().inNamespace("postgres").withLabelSelector(policy.getSpec().getPodSelector())
                    .list().getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("postgres-0");
            NetworkPolicyPeer peer = policy.getSpec().getIngress().get(0).getFrom().get(0);
            assertThat(client.namespaces().withLabelSelector(peer.getNamespaceSelector()).list().getItems())
                    .extracting(n -> n.getMetadata().getName()).contains(other, "postgres");
            assertThat(client.pods().inNamespace(other).withLabelSelector(peer.getPodSelector()).list().getItems())
                    .extracting(p -> p.getMetadata().getName()).containsExactly("client");
            assertThat(policy.getSpec().getIngress().get(0).getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(5432));
        } finally {
            client.namespaces().withName(other).delete();
        }
    }

    @Test
    @Order(40)
    @DisplayName("deploy dev again changes nothing: every object unchanged, same generation, same pod")
    void deployDevAgain() {
        StatefulSet before = get(StatefulSet.class, "postgres");
        String podUid = get(Pod.class, "postgres-0").getMetadata().getUid();

        Pgk8sProcess run = pgk8s("deploy", "dev");

        assertThat(run.exitCode(RUN)).as(run.stderr()).isZero();
        assertThat(objectLines(run)).hasSize(9).allMatch(line -> line.endsWith(" unchanged"));
        assertThat(get(StatefulSet.class, "postgres").getMetadata().getGeneration())
                .isEqualTo(before.getMetadata().getGeneration());
        assertThat(get(Pod.class, "postgres-0").getMetadata().getUid()).isEqualTo(podUid);
    }

    @Test
    @Order(50)
    @DisplayName("switching dev to prod is refused with exit 2 and changes nothing")
    void devToProdRefused() {
        String version = get(StatefulSet.class, "postgres").getMetadata().getResourceVersion();
        Pgk8sProcess run = pgk8s("deploy", "prod");
        assertThat(run.exitCode(RUN)).isEqualTo(2);
        assertThat(run.stderr()).startsWith("error: postgres is deployed as dev; switching to prod")
                .contains("--force").hasLineCount(1);
        assertThat(get(StatefulSet.class, "postgres").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    @Order(60)
    @DisplayName("another field manager's change is a conflict that names the field; --force-conflicts takes it")
    void conflict() {
        StatefulSet theirs = new StatefulSetBuilder()
                .withNewMetadata().withName("postgres").withNamespace("postgres").endMetadata()
                .withNewSpec().withReplicas(0).endSpec()
                .build();
        client.resource(theirs).fieldManager("someone-else").forceConflicts().serverSideApply();

        Pgk8sProcess refused = pgk8s("deploy", "dev");
        assertThat(refused.exitCode(RUN)).isEqualTo(1);
        assertThat(refused.stderr()).contains("error: statefulset.apps/postgres has fields that another field manager set")
                .contains("someone-else").contains(".spec.replicas").contains("--force-conflicts");

        Pgk8sProcess taken = pgk8s("deploy", "dev", "--force-conflicts");
        assertThat(taken.exitCode(RUN)).as(taken.stderr()).isZero();
        assertThat(taken.stderr()).contains("statefulset.apps/postgres configured");
        assertThat(get(StatefulSet.class, "postgres").getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    @Order(65)
    @DisplayName("a forced switch that the server would refuse further on changes nothing: the StatefulSet stays")
    void forcedSwitchCheckedFirst() {
        StatefulSet before = get(StatefulSet.class, "postgres");
        ConfigMap theirs = new ConfigMapBuilder()
                .withNewMetadata().withName("postgres-init-schema").withNamespace("postgres").endMetadata()
                .addToData("10-learnflow.sh", "# someone else's script\n")
                .build();
        client.resource(theirs).fieldManager("someone-else").forceConflicts().serverSideApply();

        Pgk8sProcess refused = pgk8s("deploy", "prod", "--force");

        assertThat(refused.exitCode(RUN)).isEqualTo(1);
        assertThat(refused.stderr()).contains("configmap/postgres-init-schema has fields that another field manager set")
                .contains("someone-else");
        StatefulSet after = get(StatefulSet.class, "postgres");
        assertThat(after.getMetadata().getUid()).as("not deleted").isEqualTo(before.getMetadata().getUid());
        assertThat(after.getMetadata().getLabels()).containsEntry(Profile.PROFILE_LABEL, "dev");

        Pgk8sProcess taken = pgk8s("deploy", "dev", "--force-conflicts");
        assertThat(taken.exitCode(RUN)).as(taken.stderr()).isZero();
        assertThat(taken.stderr()).contains("configmap/postgres-init-schema configured");
    }

    @Test
    @Order(70)
    @DisplayName("deploy prod --force: a new password, the claim Bound to the volume the test made, pod admitted")
    void forceProd() {
        String volume = PersistentVolumes.create(client, 1, "10Gi").get(0).getMetadata().getName();

        Pgk8sProcess run = pgk8s("deploy", "prod", "--force");

        assertThat(run.exitCode(RUN)).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("✓ postgres prod ready in ");
        PersistentVolumeClaim claim = get(PersistentVolumeClaim.class, PROD.claimName());
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(claim.getSpec().getVolumeName()).isEqualTo(volume);
        String password = SecretManifests.value(get(Secret.class, "postgres-credentials"), "POSTGRES_PASSWORD");
        assertThat(password).isNotEqualTo(DEV.defaultPassword()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(SecretManifests.value(get(Secret.class, "postgres-app"), "PGPASSWORD")).isEqualTo(password);
        assertThat(get(StatefulSet.class, "postgres").getMetadata().getLabels()).containsEntry(Profile.PROFILE_LABEL, "prod");
        assertThat(get(Pod.class, "postgres-0").getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    @Order(80)
    @DisplayName("deploy prod twice keeps the password, the claim, the generation and the pod")
    void prodIdempotent() {
        String password = SecretManifests.value(get(Secret.class, "postgres-credentials"), "POSTGRES_PASSWORD");
        String superuser = SecretManifests.value(get(Secret.class, "postgres-superuser"), "password");
        String claimUid = get(PersistentVolumeClaim.class, PROD.claimName()).getMetadata().getUid();
        long generation = get(StatefulSet.class, "postgres").getMetadata().getGeneration();
        String podUid = get(Pod.class, "postgres-0").getMetadata().getUid();

        Pgk8sProcess run = pgk8s("deploy", "prod");

        assertThat(run.exitCode(RUN)).as(run.stderr()).isZero();
        assertThat(objectLines(run)).hasSize(9).allMatch(line -> line.endsWith(" unchanged"));
        assertThat(SecretManifests.value(get(Secret.class, "postgres-credentials"), "POSTGRES_PASSWORD")).isEqualTo(password);
        assertThat(SecretManifests.value(get(Secret.class, "postgres-superuser"), "password")).isEqualTo(superuser);
        assertThat(get(PersistentVolumeClaim.class, PROD.claimName()).getMetadata().getUid()).isEqualTo(claimUid);
        assertThat(get(StatefulSet.class, "postgres").getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(get(Pod.class, "postgres-0").getMetadata().getUid()).isEqualTo(podUid);
    }

    @Test
    @Order(90)
    @DisplayName("switching prod to dev is refused with exit 2: the StatefulSet, claim and password stay")
    void prodToDevRefused() {
        String version = get(StatefulSet.class, "postgres").getMetadata().getResourceVersion();
        String secretVersion = get(Secret.class, "postgres-credentials").getMetadata().getResourceVersion();
        Pgk8sProcess run = pgk8s("deploy", "dev");
        assertThat(run.exitCode(RUN)).isEqualTo(2);
        assertThat(run.stderr()).startsWith("error: postgres is deployed as prod; switching to dev")
                .contains("PVC data-postgres-0").hasLineCount(1);
        assertThat(get(StatefulSet.class, "postgres").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(get(Secret.class, "postgres-credentials").getMetadata().getResourceVersion()).isEqualTo(secretVersion);
    }

    @Test
    @Order(100)
    @DisplayName("with the password Secrets gone but the claim kept, deploy prod refuses new passwords: exit 2")
    void keptClaimKeepsItsPasswords() {
        for (String name : List.of(PROD.credentialsSecretName(), PROD.superuserSecretName())) {
            client.secrets().inNamespace("postgres").withName(name).delete();
            client.secrets().inNamespace("postgres").withName(name).waitUntilCondition(s -> s == null, 30,
                    java.util.concurrent.TimeUnit.SECONDS);
        }
        Pgk8sProcess run = pgk8s("deploy", "prod");
        assertThat(run.exitCode(RUN)).isEqualTo(2);
        assertThat(run.stderr()).startsWith("error: PVC data-postgres-0 holds a database made with passwords")
                .hasLineCount(1);
        assertThat(get(Secret.class, PROD.credentialsSecretName())).as("nothing was created").isNull();
    }

    @Test
    @Order(110)
    @DisplayName("render's output for both profiles passes the API server's dry run; restricted admits both pods")
    void renderPassesServerDryRun() {
        for (Profile profile : List.of(DEV, PROD)) {
            Pgk8sProcess render = pgk8s("render", profile.name());
            assertThat(render.exitCode(RUN)).as(render.stderr()).isZero();
            for (HasMetadata object : ManifestText.parse(render.stdout())) {
                client.resource(object).dryRun().fieldManager("render-check").forceConflicts().serverSideApply();
                if (object instanceof StatefulSet sts) {
                    Pod pod = new PodBuilder()
                            .withNewMetadata().withName("admission-" + profile.name()).withNamespace("postgres")
                            .endMetadata()
                            .withSpec(sts.getSpec().getTemplate().getSpec())
                            .build();
                    pod.getSpec().getVolumes().removeIf(v -> v.getName().equals("data"));
                    pod.getSpec().getContainers().get(0).getVolumeMounts().removeIf(m -> m.getName().equals("data"));
                    client.resource(pod).dryRun().create();
                }
            }
        }
    }

    @Test
    @Order(120)
    @DisplayName("an identity without rights gets the forbidden message: verb, resource, namespace, who")
    void forbidden() {
        String user = "system:serviceaccount:default:nobody";
        client.serviceAccounts().inNamespace("default")
                .resource(new ServiceAccountBuilder().withNewMetadata().withName("nobody").endMetadata().build())
                .createOr(existing -> existing.update());
        try (KubernetesClient nobody = controlPlane.newClient(config -> {
            config.getRequestConfig().setImpersonateUsername(user);
            return config;
        })) {
            DeployService service = new DeployService(nobody, new SecureRandom());
            assertThatThrownBy(() -> service.deploy(DEV, InitialSchema.bundled(),
                    new DeployService.Options(false, false, false, Duration.ofSeconds(10)), line -> { }, line -> { }))
                    .isInstanceOfSatisfying(Pgk8sException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                    .hasMessage("forbidden: statefulsets.apps \"postgres\" is forbidden: User \"" + user
                            + "\" cannot get resource \"statefulsets\" in API group \"apps\" in the namespace"
                            + " \"postgres\", grant that right with a Role (README: RBAC) or use another --context");
        }
    }

    @Test
    @Order(130)
    @DisplayName("a pod that never becomes ready ends in exit 1 after --timeout, with its state and events")
    void timeout() {
        noPostgresNamespace();
        client.nodes().withName("kwok-node-0").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });
        try {
            Pgk8sProcess run = pgk8s("deploy", "dev", "--timeout", "5");
            assertThat(run.exitCode(RUN)).isEqualTo(1);
            String error = run.stderr().lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
            assertThat(error).startsWith("error: postgres-0 not ready after 5s: waiting for postgres-0: Unschedulable")
                    .contains("phase Pending", "PodScheduled=False", "last events: ", "FailedScheduling",
                            "Raise --timeout");
            assertThat(run.stderr()).contains("waiting for postgres-0: Unschedulable");
        } finally {
            client.nodes().withName("kwok-node-0").edit(n -> {
                n.getSpec().setUnschedulable(false);
                return n;
            });
        }
    }

    @Test
    @Order(140)
    @DisplayName("no kubeconfig is exit 2; an unreachable API server is exit 1; both one line")
    void noCluster() throws Exception {
        Path home = Files.createTempDirectory("home-");
        Pgk8sProcess none = Pgk8sProcess.start(Map.of("HOME", home.toString(), "KUBECONFIG", ""), "deploy");
        assertThat(none.exitCode(RUN)).isEqualTo(2);
        assertThat(none.stderr()).startsWith("error: no kubeconfig").contains("--kubeconfig").hasLineCount(1);

        Path unreachable = home.resolve("unreachable.kubeconfig");
        Files.writeString(unreachable, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
        Pgk8sProcess down = Pgk8sProcess.start(Map.of("HOME", home.toString()), "deploy", "--kubeconfig",
                unreachable.toString());
        assertThat(down.exitCode(RUN)).isEqualTo(1);
        assertThat(down.stderr()).startsWith("error: cannot reach the Kubernetes API server at https://127.0.0.1:1")
                .hasLineCount(1);
    }

    private static List<String> objectLines(Pgk8sProcess run) {
        return run.stderr().lines().filter(l -> !l.startsWith("waiting for ")).toList();
    }

}
