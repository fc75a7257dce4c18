package io.learnflow.pgk8s.migrate;

import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;

/**
 * The spec names migrations {@code NNN_description.sql}: Flyway with no {@code V} prefix and a single
 * underscore. Applied to pgk8s's own Flyway runs and, as a customizer, to Quarkus's (dev mode).
 */
@Singleton
public class FlywayConventions implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        apply(configuration);
    }

    public static FluentConfiguration apply(FluentConfiguration configuration) {
        return configuration
                .sqlMigrationPrefix("")
                .sqlMigrationSeparator("_")
                .sqlMigrationSuffixes(MigrationFiles.SUFFIX)
                // With an empty versioned prefix Flyway would read "R_x.sql" as repeatable; pgk8s has none.
                .repeatableSqlMigrationPrefix("pgk8s-no-repeatable-")
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                // A database whose schema was made without Flyway (the spec's init script) gets a version 0
                // baseline, then 001 applies over it: the migrations are idempotent. pgk8s migrate allows it only
                // for the LearnFlow schema itself (MigrationService), or with --baseline.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // A session-level advisory lock: the transactional one makes CREATE INDEX CONCURRENTLY wait forever
                // for the lock's own transaction. The lock still dies with a killed migrator's session.
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .callbacks(new MigrationBookkeeping(Set.of(), Map.of()));
    }
}
