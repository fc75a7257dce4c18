package io.learnflow.pgk8s.cli.options;

import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import picocli.CommandLine.Option;

/** The connection options every database command takes; unset ones fall back to PG* env, then config. */
public class DbOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "PostgreSQL host (else PGHOST, else config; "
            + "default postgres.postgres.svc.cluster.local)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "PostgreSQL port (else PGPORT; default 5432)")
    Integer port;

    @Option(names = "--database", paramLabel = "NAME", description = "database (else PGDATABASE; default learnflow)")
    String database;

    @Option(names = "--user", paramLabel = "USER", description = "user (else PGUSER; default learnflow_user)")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "password (else PGPASSWORD, which is safer: command lines are visible to others)")
    String password;

    public ConnectionSettings resolve(ConnectionResolver resolver) {
        return resolver.resolve(host, port, database, user, password);
    }
}
