package io.learnflow.pgk8s.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.cli.options.KubeOptions;
import io.learnflow.pgk8s.cli.options.MigrationsOption;
import io.learnflow.pgk8s.cli.options.OutputFormat;
import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.health.DatabaseChecks;
import io.learnflow.pgk8s.health.VerifyReport;
import io.learnflow.pgk8s.health.VerifyService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that PostgreSQL is healthy: with a cluster, the StatefulSet, pod postgres-0 Running and"
                + " Ready, a ready endpoint of Service postgres; then connect, SELECT 1, the database, the five tables,"
                + " no pending migrations. Answers within 3 s.",
        footer = { "%nstdout: the verdict (one line when healthy); stderr: '- kubernetes: skipped, <why>' without a"
                + " cluster or with --no-k8s." })
public class VerifyCommand implements Callable<Integer> {
    @Mixin
    DbOptions db;
    @Mixin
    MigrationsOption migrations;
    @Mixin
    KubeOptions kube;
    @Option(names = "--no-k8s", description = "skip the Kubernetes checks, even when a cluster is configured")
    boolean noK8s;
    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT", description = "text or json")
    OutputFormat output;
    @Spec
    CommandSpec spec;

    private final VerifyService verifier;
    private final ConnectionResolver resolver;
    private final ConnectionEnvironment environment;

    public VerifyCommand(VerifyService verifier, ConnectionResolver resolver, ConnectionEnvironment environment) {
        this.verifier = verifier;
        this.resolver = resolver;
        this.environment = environment;
    }

    @Override
    public Integer call() {
        List<HealthCheckResponse> checks = verifier.verify(db.resolve(resolver), migrations.source(),
                kube.access(noK8s, environment));
        if (output == OutputFormat.JSON) {
            spec.commandLine().getOut().println(VerifyReport.json(checks));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            VerifyReport.skipped(checks).forEach(err::println);
            spec.commandLine().getOut().println(VerifyReport.text(checks));
        }
        return DatabaseChecks.allUp(checks) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
