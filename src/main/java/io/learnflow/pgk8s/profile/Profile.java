package io.learnflow.pgk8s.profile;

/**
 * Everything that names or sizes the LearnFlow PostgreSQL deployment, in one place.
 * Connection defaults, and later the Kubernetes manifests, are derived from it.
 */
public record Profile(
        String name,
        String namespace,
        String serviceName,
        int port,
        String database,
        String user,
        String defaultPassword) {

    public static final Profile DEV = new Profile(
            "dev", "postgres", "postgres", 5432, "learnflow", "learnflow_user", "dev_password_change_in_prod");

    /** The in-cluster DNS name that dependent services connect to. */
    public String serviceHost() {
        return serviceName + "." + namespace + ".svc.cluster.local";
    }
}
