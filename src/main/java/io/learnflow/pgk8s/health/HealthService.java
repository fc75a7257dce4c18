package io.learnflow.pgk8s.health;

import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.migrate.MigrationFile;
import io.learnflow.pgk8s.migrate.MigrationSource;
import jakarta.inject.Singleton;

/** Runs the database checks against one target. */
@Singleton
public class HealthService {
    /** Keeps verify within the spec's 3 s even when the host does not answer. */
    static final int CONNECT_TIMEOUT_SECONDS = 2;

    private final DbProbe probe = new DbProbe(CONNECT_TIMEOUT_SECONDS);

    public List<HealthCheckResponse> check(ConnectionSettings target, MigrationSource migrations) {
        List<Integer> expected = migrations.files().stream().map(MigrationFile::version).toList();
        return DatabaseChecks.evaluate(probe.probe(target), expected);
    }
}
