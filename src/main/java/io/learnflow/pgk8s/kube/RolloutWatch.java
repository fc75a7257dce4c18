package io.learnflow.pgk8s.kube;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.deploy.RolloutStatus;

/**
 * Waits for a one-replica StatefulSet to be rolled out and Ready by watching it and its pod (two informers), never
 * by polling, and reports each new state through {@code progress}.
 */
public final class RolloutWatch {
    private static final int EVENTS_SHOWN = 3;
    private static final int HTTP_CONFLICT = 409;

    private final KubernetesClient client;
    private final String namespace;
    private final String statefulSetName;
    private final String podName;

    public RolloutWatch(KubernetesClient client, String namespace, String statefulSetName, String podName) {
        this.client = client;
        this.namespace = namespace;
        this.statefulSetName = statefulSetName;
        this.podName = podName;
    }

    /**
     * @param progress gets each new waiting message, with the seconds waited so far
     * @throws Pgk8sException exit 1 after {@code timeout}, with the pod's phase, conditions and last events
     */
    public void await(Duration timeout, Consumer<String> progress) {
        long started = System.nanoTime();
        CompletableFuture<RolloutStatus.Verdict> done = new CompletableFuture<>();
        Object lock = new Object();
        String[] last = { null };
        boolean[] replaced = { false };
        SharedIndexInformer<StatefulSet> statefulSets = null;
        SharedIndexInformer<Pod> pods = null;
        try {
            statefulSets = client.apps().statefulSets().inNamespace(namespace).withName(statefulSetName)
                    .runnableInformer(0);
            pods = client.pods().inNamespace(namespace).withName(podName).runnableInformer(0);
            SharedIndexInformer<StatefulSet> s = statefulSets;
            SharedIndexInformer<Pod> p = pods;
            Runnable evaluate = () -> {
                synchronized (lock) {
                    if (!s.hasSynced() || !p.hasSynced()) {
                        return; // the first evaluation waits until both caches are full
                    }
                    Pod pod = first(p.getStore().list());
                    RolloutStatus.Verdict verdict = RolloutStatus.evaluate(first(s.getStore().list()), pod, podName);
                    if (verdict.done()) {
                        done.complete(verdict);
                        return;
                    }
                    if (verdict.replacePod() && !replaced[0]) {
                        replaced[0] = replace(pod, done);
                    }
                    if (!verdict.message().equals(last[0])) {
                        last[0] = verdict.message();
                        progress.accept(verdict.message() + " (" + seconds(started) + "s)");
                    }
                }
            };
            statefulSets.addEventHandler(handler(evaluate));
            pods.addEventHandler(handler(evaluate));
            CompletableFuture.allOf(statefulSets.start().toCompletableFuture(), pods.start().toCompletableFuture())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            evaluate.run();
            long left = timeout.toNanos() - (System.nanoTime() - started);
            done.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Pod pod = pods == null ? null : first(pods.getStore().list());
            throw Pgk8sException.failed(podName + " not ready after " + timeout.toSeconds() + "s: "
                    + (last[0] == null ? "no state seen" : last[0]) + "; " + describe(pod) + "; last events: "
                    + lastEvents() + ". Raise --timeout, or fix the cause");
        } catch (ExecutionException e) {
            // An informer's first list failed, e.g. forbidden to list pods.
            if (e.getCause() instanceof KubernetesClientException k) {
                throw KubeErrors.translate(k, client.getMasterUrl(), "watch of " + podName);
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Pgk8sException.failed("interrupted while waiting for " + podName);
        } finally {
            Stream.of(statefulSets, pods).filter(Objects::nonNull).forEach(SharedIndexInformer::close);
        }
    }

    /**
     * Deletes the pod as the watch last saw it (a precondition on its resourceVersion), once per deploy: the new pod's
     * own failures are reported, not replaced again.
     *
     * @return whether it was deleted; not when it changed meanwhile (the next event decides again)
     */
    private boolean replace(Pod seen, CompletableFuture<RolloutStatus.Verdict> done) {
        try {
            client.pods().inNamespace(namespace).withName(podName)
                    .lockResourceVersion(seen.getMetadata().getResourceVersion()).delete();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HTTP_CONFLICT) {
                done.completeExceptionally(KubeErrors.translate(e, client.getMasterUrl(), "pod/" + podName));
            }
            return false;
        }
    }

    private static String describe(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return "no pod " + (pod == null ? "exists" : "status");
        }
        String conditions = pod.getStatus().getConditions() == null ? "" : pod.getStatus().getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + (c.getReason() == null ? "" : "(" + c.getReason() + ")"))
                .collect(Collectors.joining(" "));
        return "phase " + pod.getStatus().getPhase() + ", conditions " + conditions;
    }

    // Of the pod and the StatefulSet: admission refusals (Pod Security) are reported on the StatefulSet.
    private String lastEvents() {
        try {
            return events();
        } catch (KubernetesClientException e) {
            return "not readable (" + KubeErrors.message(e, client.getMasterUrl(), "events") + ")";
        }
    }

    private String events() {
        List<Event> events = client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && (is(e, "Pod", podName) || is(e, "StatefulSet", statefulSetName)))
                .sorted(Comparator.comparing(RolloutWatch::when))
                .toList();
        if (events.isEmpty()) {
            return "none";
        }
        return events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size()).stream()
                .map(e -> e.getReason() + ": " + oneLine(e.getMessage()))
                .collect(Collectors.joining(" | "));
    }

    private static boolean is(Event e, String kind, String name) {
        return kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName());
    }

    private static String when(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getEventTime() != null
                ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
        return t == null ? "" : t;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    private static long seconds(long startedNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    private static <T> T first(List<T> items) {
        return items.isEmpty() ? null : items.get(0);
    }

    private static <T> ResourceEventHandler<T> handler(Runnable evaluate) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                evaluate.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                evaluate.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                evaluate.run();
            }
        };
    }
}
