package io.learnflow.pgk8s.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.cli.options.MigrationsOption;
import io.learnflow.pgk8s.cli.options.OutputFormat;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.health.DatabaseChecks;
import io.learnflow.pgk8s.health.HealthService;
import io.learnflow.pgk8s.health.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that PostgreSQL is healthy: connect, SELECT 1, the database, the five tables, "
                + "no pending migrations. Answers within 3 s.")
public class VerifyCommand implements Callable<Integer> {
    @Mixin
    DbOptions db;
    @Mixin
    MigrationsOption migrations;
    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT", description = "text or json")
    OutputFormat output;
    @Spec
    CommandSpec spec;

    private final HealthService health;
    private final ConnectionResolver resolver;

    public VerifyCommand(HealthService health, ConnectionResolver resolver) {
        this.health = health;
        this.resolver = resolver;
    }

    @Override
    public Integer call() {
        List<HealthCheckResponse> checks = health.check(db.resolve(resolver), migrations.source());
        spec.commandLine().getOut().println(output == OutputFormat.JSON ? VerifyReport.json(checks) : VerifyReport.text(checks));
        return DatabaseChecks.allUp(checks) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
