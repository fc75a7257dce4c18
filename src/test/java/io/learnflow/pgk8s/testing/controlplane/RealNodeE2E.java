package io.learnflow.pgk8s.testing.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealNodeExtension.class)
@DisplayName("the real node")
class RealNodeE2E {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path HOST_STATE = Path.of("/run/pgk8s-real-node.state");

    private final KubernetesClient client;
    private String namespace;

    RealNodeE2E(KubernetesClient client) {
        this.client = client;
    }

    @BeforeEach
    void createNamespace() {
        namespace = "node-" + UUID.randomUUID().toString().substring(0, 8);
        Namespaces.create(client, namespace, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
    }

    @AfterEach
    void deleteNamespace() {
        client.namespaces().withName(namespace).delete();
    }

    @Test
    @DisplayName("runs a restricted pod as uid 70 with a read-only root, no capabilities and RuntimeDefault seccomp")
    void restrictedPodRuns() throws Exception {
        client.pods().inNamespace(namespace).resource(restrictedPod("restricted",
                "id -u; touch /data/written && echo wrote-emptydir; sleep 3600")).create();

        // The log is refused until the container has started.
        await().atMost(TIMEOUT).ignoreExceptions()
                .untilAsserted(() -> assertThat(log("restricted")).contains("wrote-emptydir"));
        assertThat(log("restricted").lines().findFirst()).hasValue(String.valueOf(RealNodeImages.UID));

        assertThat(exec("restricted", "id", "-u")).isEqualTo("70\n");
        assertThat(exec("restricted", "sh", "-c", "grep -E '^(CapEff|Seccomp):' /proc/self/status"))
                .as("no effective capability, seccomp in filter mode")
                .isEqualTo("CapEff:\t0000000000000000\nSeccomp:\t2\n");
        assertThat(exec("restricted", "sh", "-c", "touch /etc/x 2>&1 || true"))
                .contains("Read-only file system");
        assertThat(exec("restricted", "sh", "-c", "ls -n /data/written | cut -d' ' -f3"))
                .as("the emptyDir file is uid 70's").isEqualTo("70\n");
    }

    @Test
    @DisplayName("resolves cluster DNS names from a pod")
    void clusterDns() throws Exception {
        client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata()
                    .withName("echo")
                .endMetadata()
                .withNewSpec()
                    .addNewPort()
                        .withPort(5432)
                    .endPort()
                .endSpec()
                .build()).create();
        String clusterIp = client.services().inNamespace(namespace).withName("echo").get().getSpec().getClusterIP();
        client.pods().inNamespace(namespace).resource(restrictedPod("dns", "sleep 3600")).create();
        client.pods().inNamespace(namespace).withName("dns").waitUntilReady(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(exec("dns", "getent", "hosts", "kubernetes.default.svc.cluster.local"))
                .startsWith("10.96.0.1 ");
        assertThat(exec("dns", "getent", "hosts", "echo." + namespace + ".svc.cluster.local"))
                .startsWith(clusterIp + " ");
        assertThat(exec("dns", "getent", "hosts", "echo"))
                .as("the pod's search path").startsWith(clusterIp + " ");
    }

    @Test
    @DisplayName("refuses a second real node on this machine at once, naming the one that runs")
    void oneRealNodePerMachine(@TempDir Path dir) throws Exception {
        String state = Files.readString(HOST_STATE);
        Path log = dir.resolve("second.log");
        ProcessBuilder builder = new ProcessBuilder("bash", "src/test/controlplane/start.sh", "--real-node",
                "--dir", dir.resolve("run").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PGK8S_NODE"));
        Process second = builder.start();

        // Bounded: a second start that waited for the lock instead of refusing would otherwise hang the test.
        boolean ended = second.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            second.descendants().forEach(ProcessHandle::destroyForcibly);
            second.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as(output).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(output).contains("error: another real node runs on this machine (pid ")
                .doesNotContain("healthy");
        assertThat(Files.readString(HOST_STATE)).as("the running node's record is untouched").isEqualTo(state);
        assertThat(client.nodes().withName("pgk8s-node").get().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
    }

    private String log(String pod) {
        return client.pods().inNamespace(namespace).withName(pod).getLog();
    }

    private String exec(String pod, String... command) throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod)
                .writingOutput(out).writingError(err).exec(command)) {
            Integer exit = watch.exitCode().get(30, TimeUnit.SECONDS);
            assertThat(exit).as("exit of %s, stderr %s", String.join(" ", command), err).isZero();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The Pod Security {@code restricted} settings, uid 70 and an emptyDir, running {@code sh -c script}. */
    private static Pod restrictedPod(String name, String script) {
        return new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                .endMetadata()
                .withNewSpec()
                    .withTerminationGracePeriodSeconds(0L)
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(RealNodeImages.UID)
                        .withRunAsGroup(RealNodeImages.UID)
                        .withFsGroup(RealNodeImages.UID)
                        .withNewSeccompProfile()
                            .withType("RuntimeDefault")
                        .endSeccompProfile()
                    .endSecurityContext()
                    .addNewContainer()
                        .withName("main")
                        .withImage(RealNodeImages.BASE)
                        .withImagePullPolicy("Never")
                        .withCommand("sh", "-c", script)
                        .withNewSecurityContext()
                            .withReadOnlyRootFilesystem(true)
                            .withAllowPrivilegeEscalation(false)
                            .withNewCapabilities()
                                .withDrop("ALL")
                            .endCapabilities()
                        .endSecurityContext()
                        .addNewVolumeMount()
                            .withName("data")
                            .withMountPath("/data")
                        .endVolumeMount()
                    .endContainer()
                    .addNewVolume()
                        .withName("data")
                        .withNewEmptyDir()
                        .endEmptyDir()
                    .endVolume()
                .endSpec()
                .build();
    }
}
