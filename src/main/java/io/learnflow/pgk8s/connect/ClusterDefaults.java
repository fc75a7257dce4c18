package io.learnflow.pgk8s.connect;

import java.util.Map;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.kube.ClusterAccess;
import io.learnflow.pgk8s.kube.KubeErrors;
import io.learnflow.pgk8s.kube.KubeTarget;
import io.learnflow.pgk8s.manifest.SecretManifests;
import io.learnflow.pgk8s.profile.Profile;

/**
 * The connection defaults that a cluster holds (spec FR5): the values of the {@code postgres-app} Secret. They
 * replace the built-in profile defaults only; options, PG* variables and the rest still come first.
 *
 * @param secretPassword the Secret is not dev's, so its password is printed only on request
 */
public record ClusterDefaults(ConnectionSettings settings, boolean secretPassword) {
    /** Without a cluster: the dev profile's, the spec's 8.5 block. */
    public static final ClusterDefaults BUILT_IN = new ClusterDefaults(ConnectionSettings.defaults(Profile.DEV), false);
    private static final String FALLBACK = "; printing the built-in defaults";

    /**
     * The Secret's values, or the built-in ones, with one note saying why, when the cluster has no such Secret or
     * cannot be reached: {@code connection} always answers (spec 8.5).
     */
    public static ClusterDefaults read(ClusterAccess cluster, Consumer<String> notes) {
        if (cluster.target().isEmpty()) {
            return BUILT_IN;
        }
        KubeTarget target = cluster.target().get();
        Profile names = ClusterAccess.NAMES;
        String what = "secret/" + names.appSecretName();
        KubernetesClient client;
        try {
            client = target.connect(ClusterAccess.REQUEST_TIMEOUT);
        } catch (Pgk8sException e) {
            notes.accept(e.getMessage() + FALLBACK);
            return BUILT_IN;
        }
        try (client) {
            Secret secret = client.secrets().inNamespace(names.namespace()).withName(names.appSecretName()).get();
            if (secret == null) {
                notes.accept(what + " not found in namespace " + names.namespace() + FALLBACK);
                return BUILT_IN;
            }
            return of(secret);
        } catch (KubernetesClientException e) {
            notes.accept(KubeErrors.translate(e, client.getMasterUrl(), what).getMessage() + FALLBACK);
        } catch (Pgk8sException e) {
            notes.accept(what + ": " + e.getMessage() + FALLBACK);
        }
        return BUILT_IN;
    }

    /**
     * The Secret's host, port, database, user and password; a key it lacks keeps the built-in value. It is prod's
     * unless labelled dev and holding dev's fixed password.
     *
     * @throws Pgk8sException when its port is not a TCP port
     */
    public static ClusterDefaults of(Secret secret) {
        ConnectionSettings builtIn = BUILT_IN.settings();
        String port = value(secret, SecretManifests.APP_PORT, Integer.toString(builtIn.port()));
        ConnectionSettings settings = new ConnectionSettings(
                value(secret, SecretManifests.APP_HOST, builtIn.host()), ConnectionResolver.port(port),
                value(secret, SecretManifests.APP_DATABASE, builtIn.database()),
                value(secret, SecretManifests.APP_USER, builtIn.user()),
                value(secret, SecretManifests.APP_PASSWORD, builtIn.password()));
        Map<String, String> labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
        // dev after prod keeps prod's password under a dev label: only dev's own fixed password is shown.
        boolean dev = labels != null && Profile.DEV.name().equals(labels.get(Profile.PROFILE_LABEL))
                && Profile.DEV.defaultPassword().equals(settings.password());
        return new ClusterDefaults(settings, !dev);
    }

    /** The settings as printed: a prod password only with {@code showSecret}. */
    public String render(ConnectionFormat format, ConnectionSettings resolved, boolean showSecret) {
        return secretPassword && !showSecret ? format.renderHidingPassword(resolved) : format.render(resolved);
    }

    private static String value(Secret secret, String key, String builtIn) {
        String value = SecretManifests.value(secret, key);
        return value == null || value.isEmpty() ? builtIn : value;
    }
}
