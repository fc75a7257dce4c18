package io.learnflow.pgk8s.health;

import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.migrate.MigrationSource;
import jakarta.inject.Singleton;

/** Runs the database checks against one target. */
@Singleton
public class HealthService {
    private final DbProbe probe = new DbProbe();

    public List<HealthCheckResponse> check(ConnectionSettings target, MigrationSource migrations) {
        return DatabaseChecks.evaluate(probe.probe(target), migrations.versions());
    }
}
