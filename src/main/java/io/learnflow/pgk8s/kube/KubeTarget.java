package io.learnflow.pgk8s.kube;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.learnflow.pgk8s.Pgk8sException;

/**
 * Which cluster to talk to, found as kubectl finds it: {@code --kubeconfig}, then {@code KUBECONFIG}, then
 * {@code ~/.kube/config}, then the pod's ServiceAccount. Finding it reads files only; the client starts on
 * {@link #connect}.
 *
 * @param kubeconfig the file to read, or {@code null} for the ServiceAccount
 * @param context    the context to use, or {@code null} for the file's current one
 */
public record KubeTarget(File kubeconfig, String context) {
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    /**
     * The configured cluster, or empty when there is none.
     *
     * @throws Pgk8sException exit 2 when {@code --kubeconfig} names a file that is not there
     */
    public static Optional<KubeTarget> find(Path kubeconfigOption, String context) {
        if (kubeconfigOption != null) {
            if (!Files.isReadable(kubeconfigOption)) {
                throw Pgk8sException.badInput("--kubeconfig " + kubeconfigOption
                        + " is not a readable file, pass the path of a kubeconfig");
            }
            return Optional.of(new KubeTarget(kubeconfigOption.toFile(), context));
        }
        for (String name : Config.getKubeconfigFilenames()) {
            File file = new File(name);
            if (file.isFile()) {
                return Optional.of(new KubeTarget(file, context));
            }
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isReadable(SERVICE_ACCOUNT_TOKEN)) {
            return Optional.of(new KubeTarget(null, context));
        }
        return Optional.empty();
    }

    /** Why {@link #find} found nothing, for a skipped check or an error. */
    public static String notFoundReason() {
        return "no kubeconfig (--kubeconfig, KUBECONFIG, ~/.kube/config) and not in a pod";
    }

    /**
     * The cluster, or exit 2 with how to point pgk8s at one.
     */
    public static KubeTarget require(Path kubeconfigOption, String context) {
        return find(kubeconfigOption, context).orElseThrow(() -> Pgk8sException.badInput(notFoundReason()
                + ", pass --kubeconfig or set KUBECONFIG"));
    }

    /** A client whose every request gives up after {@code requestTimeout}; the caller closes it. */
    public KubernetesClient connect(Duration requestTimeout) {
        Config config = kubeconfig != null ? Config.fromKubeconfig(context, kubeconfig) : Config.autoConfigure(context);
        int millis = Math.toIntExact(requestTimeout.toMillis());
        Config bounded = new ConfigBuilder(config)
                .withConnectionTimeout(millis)
                .withRequestTimeout(millis)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(bounded).build();
    }

    /** Where the client goes, for messages: the file, or the ServiceAccount. */
    public String describe() {
        return kubeconfig != null ? kubeconfig.getPath() : "the pod's ServiceAccount";
    }
}
