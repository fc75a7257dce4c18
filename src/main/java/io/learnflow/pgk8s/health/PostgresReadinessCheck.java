package io.learnflow.pgk8s.health;

import java.util.List;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.migrate.MigrationSource;
import jakarta.enterprise.context.ApplicationScoped;

/** /q/health/ready: the same checks as {@code pgk8s verify}, against the configured database. */
@Readiness
@ApplicationScoped
public class PostgresReadinessCheck implements HealthCheck {
    private final HealthService health;
    private final ConnectionResolver resolver;

    public PostgresReadinessCheck(HealthService health, ConnectionResolver resolver) {
        this.health = health;
        this.resolver = resolver;
    }

    @Override
    public HealthCheckResponse call() {
        List<HealthCheckResponse> checks = health.check(resolver.resolve(null, null, null, null, null),
                MigrationSource.bundled());
        HealthCheckResponseBuilder response = HealthCheckResponse.named("postgresql").status(DatabaseChecks.allUp(checks));
        checks.forEach(c -> response.withData(c.getName(), c.getStatus() + " " + DatabaseChecks.reason(c)));
        return response.build();
    }
}
