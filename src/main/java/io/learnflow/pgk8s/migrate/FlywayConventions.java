package io.learnflow.pgk8s.migrate;

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
                .callbacks(new SchemaMigrationsView());
    }
}
