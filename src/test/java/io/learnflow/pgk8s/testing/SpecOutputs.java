package io.learnflow.pgk8s.testing;

/** Outputs the spec gives word for word. */
public final class SpecOutputs {
    /** Section 8.5: {@code connection} on dev, without the final line break. */
    public static final String DEV_CONNECTION = """
            Host: postgres.postgres.svc.cluster.local
            Port: 5432
            Database: learnflow
            User: learnflow_user
            Password: dev_password_change_in_prod
            Connection String: postgresql://learnflow_user:dev_password_change_in_prod\
            @postgres.postgres.svc.cluster.local:5432/learnflow""";

    private SpecOutputs() {
    }
}
