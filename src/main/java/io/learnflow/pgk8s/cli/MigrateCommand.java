package io.learnflow.pgk8s.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.cli.options.MigrationsOption;
import io.learnflow.pgk8s.cli.options.OutputFormat;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.migrate.MigrationOutcome;
import io.learnflow.pgk8s.migrate.MigrationService;
import io.learnflow.pgk8s.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply NNN_description.sql migrations in numeric order with Flyway, one transaction each.",
        footer = { "%nStatements that cannot run in a transaction (CREATE INDEX CONCURRENTLY): alone in a file they"
                + " run outside one by themselves; mixed with others, add NNN_description.sql.conf beside the file"
                + " containing executeInTransaction=false." })
public class MigrateCommand implements Callable<Integer> {
    @Mixin
    DbOptions db;
    @Mixin
    MigrationsOption migrations;
    @Option(names = "--lock-wait", defaultValue = "" + MigrationService.DEFAULT_LOCK_WAIT_SECONDS, paramLabel = "SECONDS",
            description = "how long to wait for another migrator's lock (default ${DEFAULT-VALUE})")
    int lockWaitSeconds;
    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT", description = "text or json")
    OutputFormat output;
    @Spec
    CommandSpec spec;

    private final MigrationService service;
    private final ConnectionResolver resolver;

    public MigrateCommand(MigrationService service, ConnectionResolver resolver) {
        this.service = service;
        this.resolver = resolver;
    }

    @Override
    public Integer call() {
        MigrationOutcome outcome = service.migrate(db.resolve(resolver), migrations.source(),
                Duration.ofSeconds(lockWaitSeconds));
        spec.commandLine().getOut().println(output == OutputFormat.JSON ? Json.write(outcome.toMap()) : outcome.summary());
        return ExitCodes.OK;
    }
}
