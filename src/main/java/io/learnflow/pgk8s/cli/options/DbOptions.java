package io.learnflow.pgk8s.cli.options;

import io.learnflow.pgk8s.db.ConnectionOptions;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The connection options every database command takes. One not given comes from PGSERVICE's service file, then
 * libpq's PG* variable, then Quarkus config, then the dev profile (see README, Connection settings).
 */
public class DbOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "host, socket directory (/var/run/postgresql) or "
            + "list h1,h2 tried in order (else PGHOST; default postgres.postgres.svc.cluster.local)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "port, or one per host: 5432,5433 "
            + "(else PGPORT; default 5432)")
    String port;

    @Option(names = "--database", paramLabel = "NAME", description = "database (else PGDATABASE; default learnflow)")
    String database;

    @Option(names = "--user", paramLabel = "USER", description = "user (else PGUSER; default learnflow_user)")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "password (else PGPASSWORD, then the "
            + "password file PGPASSFILE or ~/.pgpass; both safer: command lines are visible to others)")
    String password;

    @Option(names = "--sslmode", paramLabel = "MODE", description = "disable, allow, prefer, require, verify-ca or "
            + "verify-full, as libpq means them (else PGSSLMODE; default prefer); verify-* need PGSSLROOTCERT")
    String sslMode;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "per host, to connect and log in; "
            + "0 waits without limit, 1 counts as 2 (else PGCONNECT_TIMEOUT; default 2)")
    String connectTimeout;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Warnings (a password file others can read) go to the command's stderr, as libpq prints them. */
    public ConnectionSettings resolve(ConnectionResolver resolver) {
        return resolver.resolve(new ConnectionOptions(host, port, database, user, password, sslMode, connectTimeout),
                command.commandLine().getErr()::println);
    }
}
