package io.learnflow.pgk8s.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.kube.ClusterAccess;
import io.learnflow.pgk8s.kube.ClusterChecks;
import io.learnflow.pgk8s.kube.KubeTarget;
import io.learnflow.pgk8s.migrate.MigrationSource;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code pgk8s verify} (spec 8.4, FR4): the Kubernetes checks, when there is a cluster, then the database checks.
 * The two run at once, so that verify answers within the 3 s of spec 5.1 whichever of them is slow.
 */
@Singleton
public class VerifyService {
    /** How long the API server has to answer all of verify's requests, once the client is ready. */
    static final Duration CLUSTER_DEADLINE = Duration.ofSeconds(2);

    private final HealthService health;
    private final Duration requestTimeout;
    private final Duration clusterDeadline;

    @Inject
    public VerifyService(HealthService health) {
        this(health, ClusterAccess.REQUEST_TIMEOUT, CLUSTER_DEADLINE);
    }

    /**
     * @param requestTimeout  to connect, and for each request to the API server
     * @param clusterDeadline for all of the requests together
     */
    VerifyService(HealthService health, Duration requestTimeout, Duration clusterDeadline) {
        this.health = health;
        this.requestTimeout = requestTimeout;
        this.clusterDeadline = clusterDeadline;
    }

    public List<HealthCheckResponse> verify(ConnectionSettings db, MigrationSource migrations, ClusterAccess cluster) {
        List<HealthCheckResponse> all = new ArrayList<>();
        if (cluster.target().isEmpty()) {
            all.add(ClusterChecks.skipped(cluster.skipReason()));
            all.addAll(health.check(db, migrations));
            return List.copyOf(all);
        }
        KubeTarget target = cluster.target().get();
        Pending clusterChecks = inBackground(target);
        List<HealthCheckResponse> dbChecks = health.check(db, migrations);
        all.addAll(await(target, clusterChecks));
        all.addAll(dbChecks);
        return List.copyOf(all);
    }

    /** The checks, and when the client was ready: from then on the API server has {@link #clusterDeadline}. */
    private record Pending(CompletableFuture<Long> clientReady, CompletableFuture<List<HealthCheckResponse>> checks) {
    }

    private Pending inBackground(KubeTarget target) {
        Pending pending = new Pending(new CompletableFuture<>(), new CompletableFuture<>());
        Thread thread = new Thread(() -> {
            try (KubernetesClient client = target.connect(requestTimeout)) {
                pending.clientReady().complete(System.nanoTime());
                pending.checks().complete(ClusterChecks.read(client, ClusterAccess.NAMES));
            } catch (Pgk8sException unusable) {
                pending.clientReady().complete(System.nanoTime());
                pending.checks().complete(ClusterChecks.failed(unusable.getMessage()));
            } catch (RuntimeException | Error e) {
                pending.clientReady().completeExceptionally(e);
                pending.checks().completeExceptionally(e);
            }
        }, "pgk8s-cluster-checks");
        thread.setDaemon(true); // a request that hangs must not keep the process alive
        thread.start();
        return pending;
    }

    // Making the client is work on this machine, reading files, not waiting on the network: only the requests
    // have a deadline, so that a slow start-up never fails a healthy cluster.
    private List<HealthCheckResponse> await(KubeTarget target, Pending pending) {
        try {
            long left = clusterDeadline.toNanos() - (System.nanoTime() - pending.clientReady().get());
            return pending.checks().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return ClusterChecks.failed("no answer from the Kubernetes API server of " + target.describe()
                    + " within " + clusterDeadline.toMillis() / 1000.0 + " s, check that the cluster is up, or pass"
                    + " --no-k8s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ClusterChecks.failed("interrupted");
        }
    }
}
