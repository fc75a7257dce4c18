package io.learnflow.pgk8s.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.cli.options.MigrationsOption;
import io.learnflow.pgk8s.cli.options.OutputFormat;
import io.learnflow.pgk8s.cli.options.PositiveInteger;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import io.learnflow.pgk8s.health.DbProbe;
import io.learnflow.pgk8s.health.Readiness;
import io.learnflow.pgk8s.health.Waiter;
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
            converter = PositiveInteger.class,
            description = "how long to wait for another migrator's lock (default ${DEFAULT-VALUE})")
    int lockWaitSeconds;
    @Option(names = "--wait", paramLabel = "SECONDS", converter = PositiveInteger.class,
            description = "first wait up to this long for PostgreSQL to let the role in, as the migration Job does"
                    + " while a first deploy runs (default: no wait)")
    Integer waitSeconds;
    @Option(names = "--baseline", description = "adopt a database without migration history whose tables are not"
            + " the LearnFlow schema: record it at version 0, then apply the migrations over it")
    boolean baseline;
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
        MigrationOutcome outcome;
        try {
            ConnectionSettings target = db.resolve(resolver);
            if (waitSeconds != null) {
                Waiter.polling(new DbProbe(), target).await(Readiness::acceptsLogin, Duration.ofSeconds(waitSeconds),
                        WaitCommand.POLL_INTERVAL, spec.commandLine().getErr()::println, "--wait");
            }
            outcome = service.migrate(target, migrations.source(), Duration.ofSeconds(lockWaitSeconds),
                    baseline);
        } catch (Pgk8sException e) {
            if (output == OutputFormat.JSON) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("error", e.getMessage());
                error.put("exitCode", e.exitCode());
                spec.commandLine().getOut().println(Json.write(error));
            }
            throw e;
        }
        spec.commandLine().getOut().println(output == OutputFormat.JSON ? Json.write(outcome.toMap()) : outcome.summary());
        return ExitCodes.OK;
    }
}
