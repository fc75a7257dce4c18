package io.learnflow.pgk8s.kube;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.db.DbErrors;

/**
 * Which cluster to talk to, found as kubectl finds it: {@code --kubeconfig}, then {@code KUBECONFIG}, then
 * {@code ~/.kube/config}, then the pod's ServiceAccount. Finding it reads files only; the client starts on
 * {@link #connect}.
 *
 * @param kubeconfigs the files to read, merged as kubectl merges KUBECONFIG's (the first to set a value wins), or
 *                    none for the ServiceAccount
 * @param context     the context to use, or {@code null} for the current one
 */
public record KubeTarget(List<File> kubeconfigs, String context) {
    public KubeTarget {
        kubeconfigs = List.copyOf(kubeconfigs);
    }

    /** One kubeconfig file, or {@code null} for the ServiceAccount. */
    public KubeTarget(File kubeconfig, String context) {
        this(kubeconfig == null ? List.of() : List.of(kubeconfig), context);
    }

    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    /**
     * The configured cluster, or empty when there is none.
     *
     * @throws Pgk8sException exit 2 when {@code --kubeconfig} names a file that is not there
     */
    public static Optional<KubeTarget> find(Path kubeconfigOption, String context) {
        return find(kubeconfigOption, context, ConnectionEnvironment.system());
    }

    /**
     * As {@link #find(Path, String)}, with {@code KUBECONFIG}, the home directory and {@code KUBERNETES_SERVICE_HOST}
     * read from {@code environment}, so that in-JVM tests never find the developer's cluster.
     */
    public static Optional<KubeTarget> find(Path kubeconfigOption, String context, ConnectionEnvironment environment) {
        if (kubeconfigOption != null) {
            if (!Files.isReadable(kubeconfigOption)) {
                throw Pgk8sException.badInput("--kubeconfig " + kubeconfigOption
                        + " is not a readable file, pass the path of a kubeconfig");
            }
            return Optional.of(new KubeTarget(kubeconfigOption.toFile(), context));
        }
        List<File> files = kubeconfigFiles(environment).stream().filter(File::isFile).toList();
        if (!files.isEmpty()) {
            return Optional.of(new KubeTarget(files, context));
        }
        String inPod = environment.variable("KUBERNETES_SERVICE_HOST");
        if (inPod != null && !inPod.isEmpty() && Files.isReadable(SERVICE_ACCOUNT_TOKEN)) {
            return Optional.of(new KubeTarget(List.of(), context));
        }
        return Optional.empty();
    }

    // kubectl's: the files that KUBECONFIG lists (empty means unset; missing files are skipped), else
    // $HOME/.kube/config.
    private static List<File> kubeconfigFiles(ConnectionEnvironment environment) {
        String variable = environment.variable("KUBECONFIG");
        if (variable != null && !variable.isEmpty()) {
            return Arrays.stream(variable.split(File.pathSeparator)).filter(name -> !name.isEmpty()).map(File::new)
                    .toList();
        }
        Path home = environment.home();
        return home == null ? List.of() : List.of(home.resolve(".kube").resolve("config").toFile());
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

    /**
     * A client whose every request gives up after {@code requestTimeout}; the caller closes it.
     *
     * @throws Pgk8sException exit 2 for a kubeconfig the client cannot read
     */
    public KubernetesClient connect(Duration requestTimeout) {
        Config config;
        try {
            config = switch (kubeconfigs.size()) {
                case 0 -> Config.autoConfigure(context);
                case 1 -> Config.fromKubeconfig(context, kubeconfigs.get(0));
                default -> merged();
            };
        } catch (RuntimeException e) {
            // fabric8 throws what its YAML parser threw, or a NullPointerException for an empty file.
            throw Pgk8sException.badInput("cannot use the kubeconfig " + describe() + ": "
                    + DbErrors.firstLine(String.valueOf(e.getMessage()))
                    + ", fix it or pass another with --kubeconfig");
        }
        // fabric8 falls back to the current context when the one asked for is missing; kubectl refuses.
        if (context != null && !kubeconfigs.isEmpty() && (config.getCurrentContext() == null
                || !context.equals(config.getCurrentContext().getName()))) {
            throw Pgk8sException.badInput("--context " + context + " is not in " + describe()
                    + ", pass one of its contexts (kubectl config get-contexts)");
        }
        int millis = Math.toIntExact(requestTimeout.toMillis());
        Config bounded = new ConfigBuilder(config)
                .withConnectionTimeout(millis)
                .withRequestTimeout(millis)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(bounded).build();
    }

    /**
     * fabric8 merges the files that its {@code kubeconfig} system property lists (else KUBECONFIG's) as kubectl does;
     * only {@link Config#autoConfigure} reads them. A CLI makes one client, so the property is set for that call.
     */
    private Config merged() {
        synchronized (KubeTarget.class) {
            String before = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, paths());
            try {
                return Config.autoConfigure(context);
            } finally {
                if (before == null) {
                    System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
                } else {
                    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, before);
                }
            }
        }
    }

    /** Where the client goes, for messages: the file or files, or the ServiceAccount. */
    public String describe() {
        return kubeconfigs.isEmpty() ? "the pod's ServiceAccount" : paths();
    }

    // As KUBECONFIG lists them.
    private String paths() {
        return kubeconfigs.stream().map(File::getPath).collect(Collectors.joining(File.pathSeparator));
    }
}
