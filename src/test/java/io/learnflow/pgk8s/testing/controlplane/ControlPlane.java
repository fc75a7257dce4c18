package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler) run by {@code src/test/controlplane/start.sh}, with the node of its {@link Tier}.
 */
public final class ControlPlane implements AutoCloseable {

    /** What runs the pods. */
    public enum Tier {
        /** kwok's fake node {@code kwok-node-0}: pods become Running and Ready, but no process runs. */
        KWOK(Duration.ofMinutes(3), Duration.ofSeconds(60)),
        /**
         * A real node on this machine ({@code start.sh --real-node}): containerd, runc, kubelet, the CNI bridge,
         * kube-proxy and CoreDNS. One per machine; the first start may build its images.
         */
        REAL_NODE(Duration.ofMinutes(20), Duration.ofMinutes(3));

        private final Duration startTimeout;
        /** Long enough for start.sh to stop every component and, on the real node, restore the host. */
        private final Duration stopTimeout;

        Tier(Duration startTimeout, Duration stopTimeout) {
            this.startTimeout = startTimeout;
            this.stopTimeout = stopTimeout;
        }
    }

    private static final String KUBECONFIG_LINE = "kubeconfig: ";
    private static final String BINARIES_LINE = "binaries: ";

    private final Process process;
    private final Tier tier;
    private final Path binaries;
    private final Path kubeconfig;
    private final Thread shutdownHook;
    private final StringBuffer stopOutput = new StringBuffer();
    private KubernetesClient adminClient;
    private Thread echo;

    private ControlPlane(Process process, Tier tier, Path binaries, Path kubeconfig) {
        this.process = process;
        this.tier = tier;
        this.binaries = binaries;
        this.kubeconfig = kubeconfig;
        this.shutdownHook = new Thread(this::stop, "control-plane-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a control plane with kwok's fake node, its data in a new folder under {@code target/controlplane}. */
    public static ControlPlane start(Path projectDir) {
        return start(projectDir, Tier.KWOK);
    }

    /** Starts a control plane with the node of {@code tier}, its data in a new folder under {@code target/controlplane}. */
    public static ControlPlane start(Path projectDir, Tier tier) {
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = projectDir.resolve("target/controlplane").resolve(name);
        Path script = projectDir.resolve("src/test/controlplane/start.sh");
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--dir", dir.toString(),
                "--pvs", "0", "--stop-on-eof"));
        if (tier == Tier.REAL_NODE) {
            command.add("--real-node");
        }
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        }
        CompletableFuture<Reported> ready = CompletableFuture.supplyAsync(() -> awaitReady(process));
        try {
            Reported paths = ready.get(tier.startTimeout.toSeconds(), TimeUnit.SECONDS);
            Path kubeconfig = paths.get(KUBECONFIG_LINE);
            log("control plane (%s) ready in %.1f s, kubeconfig %s", tier, (System.nanoTime() - started) / 1e9,
                    kubeconfig);
            ControlPlane controlPlane = new ControlPlane(process, tier, paths.get(BINARIES_LINE), kubeconfig);
            controlPlane.echoRest(paths.reader);
            return controlPlane;
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Not a SIGKILL at once: start.sh's trap must stop what did start and restore the host.
            stopGracefully(process, tier.stopTimeout);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("the e2e control plane (" + tier + ") did not start (logs in "
                    + dir.resolve("logs") + "): " + cause.getMessage(), cause);
        }
    }

    /** The paths start.sh reported, and its output still to be read. */
    private static final class Reported extends HashMap<String, Path> {
        private final transient BufferedReader reader;

        Reported(BufferedReader reader) {
            this.reader = reader;
        }
    }

    /** Echoes the script's output and returns the paths it reports, once it reports ready. */
    private static Reported awaitReady(Process process) {
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder output = new StringBuilder();
        Reported paths = new Reported(reader);
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                log("%s", line);
                output.append(line).append('\n');
                for (String prefix : List.of(KUBECONFIG_LINE, BINARIES_LINE)) {
                    if (line.startsWith(prefix)) {
                        paths.put(prefix, Path.of(line.substring(prefix.length())));
                    }
                }
                if (paths.size() == 2 && line.startsWith("ready in ")) {
                    return paths;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("start.sh exited before the cluster was ready:\n" + output);
    }

    /** Echoes the rest of the output and keeps it, for the report of {@link #close()}. */
    private void echoRest(BufferedReader reader) {
        echo = new Thread(() -> {
            try {
                reader.lines().forEach(line -> {
                    log("%s", line);
                    stopOutput.append(line).append('\n');
                });
            } catch (UncheckedIOException closed) {
                // the process is gone
            }
        }, "control-plane-output");
        echo.setDaemon(true);
        echo.start();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[control-plane] " + format + "%n", args);
    }

    public Tier tier() {
        return tier;
    }

    /** Whether {@link #close()} has stopped it. */
    public boolean isStopped() {
        return !process.isAlive();
    }

    /** A control-plane binary, e.g. {@code kubectl}, of the same version as the cluster. */
    public Path binary(String name) {
        return binaries.resolve(name);
    }

    /** The run directory under {@code target/controlplane}: data, certificates, logs, and the real node's files. */
    public Path runDirectory() {
        return kubeconfig.getParent();
    }

    /** The admin kubeconfig (user in {@code system:masters}). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A client config from the admin kubeconfig, changed by {@code customizer} (e.g. to impersonate). */
    public Config config(UnaryOperator<Config> customizer) {
        try {
            return customizer.apply(Config.fromKubeconfig(Files.readString(kubeconfig)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client; the caller closes it. */
    public KubernetesClient newClient(UnaryOperator<Config> customizer) {
        return new KubernetesClientBuilder().withConfig(config(customizer)).build();
    }

    /** The shared admin client, closed with the control plane. */
    public synchronized KubernetesClient client() {
        if (adminClient == null) {
            adminClient = newClient(UnaryOperator.identity());
        }
        return adminClient;
    }

    /**
     * Stops every component. For the real node, start.sh then restores the host and exits non-zero when
     * something is left (a process, an iptables chain, the bridge, a cgroup, a mount, a sysctl): that fails here.
     */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run already
        }
        try {
            echo.join(tier.stopTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tier == Tier.REAL_NODE && !process.isAlive() && process.exitValue() != 0) {
            throw new IllegalStateException("stopping the real node did not restore the host (start.sh exit "
                    + process.exitValue() + "):\n" + stopOutput);
        }
    }

    private synchronized void stop() {
        if (adminClient != null) {
            adminClient.close();
            adminClient = null;
        }
        if (!process.isAlive()) {
            return;
        }
        stopGracefully(process, tier.stopTimeout);
    }

    /** start.sh stops its components in reverse order when its standard input closes; then, bounded, a kill. */
    private static void stopGracefully(Process process, Duration timeout) {
        List<ProcessHandle> components = process.descendants().toList();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                log("start.sh did not stop in %d s, killing it", timeout.toSeconds());
            }
        } catch (IOException e) {
            log("cannot signal start.sh: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        components.forEach(ProcessHandle::destroyForcibly);
        destroyTree(process);
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
