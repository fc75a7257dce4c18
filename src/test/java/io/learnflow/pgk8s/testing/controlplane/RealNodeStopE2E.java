package io.learnflow.pgk8s.testing.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.learnflow.pgk8s.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

// Last of the run (junit-platform.properties orders classes by @Order): it stops the shared node, which a
// later real-node test would have to start again.
@Order(Integer.MAX_VALUE)
@ExtendWith(RealNodeExtension.class)
@DisplayName("stopping the real node")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeStopE2E {

    /** Where start.sh records the host's values before the node changes them (see node.sh). */
    private static final Path HOST_STATE = Path.of("/run/pgk8s-real-node.state");

    @Test
    @Order(1)
    @DisplayName("restores the host: no process, iptables chain, bridge, /kubepods cgroup or mount left, sysctls as before")
    void restoresTheHost(ControlPlane node) throws Exception {
        // A pod, so that the bridge, the pod's cgroups, mounts and netns and the CNI chains exist.
        node.client().pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata()
                    .withName("stop-check")
                .endMetadata()
                .withNewSpec()
                    .addNewContainer()
                        .withName("main")
                        .withImage(RealNodeImages.BASE)
                        .withImagePullPolicy("Never")
                        .withCommand("sleep", "3600")
                    .endContainer()
                .endSpec()
                .build()).create();
        node.client().pods().inNamespace("default").withName("stop-check").waitUntilReady(60, TimeUnit.SECONDS);
        Map<String, String> before = recordedSysctls();
        assertThat(before).as("the sysctls recorded before the node started")
                .containsKeys("kernel.panic", "kernel.panic_on_oops", "vm.overcommit_memory", "net.ipv4.ip_forward");
        assertThat(run("ip", "link", "show", "cni0")).as("the running node's bridge").contains("cni0");

        Path containerdRoot = node.runDirectory().resolve("node/containerd-root");
        assertThat(containerdRoot).as("containerd's root, in the run directory").isDirectory();

        // Fails when start.sh's own check finds something left.
        node.close();

        assertThat(containerdRoot).as("its images and snapshots, removed").doesNotExist();

        assertThat(run("iptables-save") + run("ip6tables-save")).doesNotContain(":KUBE-", ":CNI-");
        assertThat(run("ip", "-o", "link", "show")).doesNotContain(" cni0:");
        assertThat(Path.of("/sys/fs/cgroup/memory/kubepods")).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/unified/kubepods")).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/kubepods")).as("cgroup v2").doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("/controlplane/");
        for (Map.Entry<String, String> recorded : before.entrySet()) {
            assertThat(sysctl(recorded.getKey())).as(recorded.getKey()).isEqualTo(recorded.getValue());
        }
        assertThat(HOST_STATE).as("forgotten once restored").doesNotExist();
    }

    @Test
    @Order(2)
    @DisplayName("refuses to start beside another node's networking, and leaves it as it was")
    void refusesForeignNetworking() {
        String chain = "KUBE-FOREIGN-" + ProcessHandle.current().pid();
        assertThat(Commands.run(Duration.ofSeconds(10), "iptables", "-w", "-N", chain).exitCode()).isZero();
        try {
            Commands.Result start = Commands.run(Duration.ofMinutes(3), "bash",
                    Path.of("src/test/controlplane/start.sh").toString(), "--real-node", "--pvs", "0", "--stop-on-eof",
                    "--dir", Path.of("target/controlplane/foreign-" + ProcessHandle.current().pid()).toString());
            assertThat(start.exitCode()).isEqualTo(1);
            assertThat(start.stderr()).contains("error: this machine already has Kubernetes networking or pods"
                    + " (iptables chain filter/" + chain + ")");
            assertThat(run("iptables-save")).as("the other node's chain").contains(":" + chain);
        } finally {
            Commands.run(Duration.ofSeconds(10), "iptables", "-w", "-X", chain);
        }
    }

    private static Map<String, String> recordedSysctls() throws IOException {
        return Files.readAllLines(HOST_STATE).stream()
                .map(line -> line.split(" ", 3))
                .filter(f -> f.length == 3 && f[0].equals("sysctl"))
                .collect(Collectors.toMap(f -> f[1], f -> f[2], (a, b) -> b, TreeMap::new));
    }

    private static String sysctl(String name) throws Exception {
        return run("sysctl", "-n", name).strip();
    }

    private static String run(String... command) {
        return Commands.run(Duration.ofSeconds(30), command).output();
    }
}
