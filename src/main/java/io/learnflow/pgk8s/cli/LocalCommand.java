package io.learnflow.pgk8s.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.cli.options.LocalPort;
import io.learnflow.pgk8s.health.DatabaseChecks;
import io.learnflow.pgk8s.health.HealthService;
import io.learnflow.pgk8s.health.VerifyReport;
import io.learnflow.pgk8s.local.LocalPostgres;
import io.learnflow.pgk8s.migrate.MigrationService;
import io.learnflow.pgk8s.migrate.MigrationSource;
import io.learnflow.pgk8s.profile.Profile;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a real PostgreSQL 16 here (no Docker, no cluster), migrate it, verify it and print how"
                + " to connect. Runs until Ctrl-C.")
public class LocalCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "5432", paramLabel = "PORT", converter = LocalPort.class,
            description = "port to listen on, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--data", paramLabel = "DIR", description = "keep the data here across restarts "
            + "(default: a temporary directory, removed on exit)")
    Path dataDir;
    @Option(names = "--exit", description = "stop after the checks instead of running until Ctrl-C")
    boolean exitAfterChecks;
    @Spec
    CommandSpec spec;

    private final MigrationService migrations;
    private final HealthService health;

    public LocalCommand(MigrationService migrations, HealthService health) {
        this.migrations = migrations;
        this.health = health;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MigrationSource source = MigrationSource.bundled();
        try (LocalPostgres postgres = LocalPostgres.start(Profile.DEV, port, dataDir, err::println)) {
            // Progress on stderr; stdout is the verdict, then, while it runs, how to connect.
            err.println("PostgreSQL 16 on " + postgres.settings().hostPort()
                    + (dataDir == null ? "" : " (data: " + dataDir + ")"));
            err.println(migrations.migrate(postgres.settings(), source,
                    Duration.ofSeconds(MigrationService.DEFAULT_LOCK_WAIT_SECONDS)).summary());
            err.flush();
            List<HealthCheckResponse> checks = health.check(postgres.settings(), source);
            out.println(VerifyReport.verdict(checks));
            if (!DatabaseChecks.allUp(checks)) {
                return ExitCodes.FAILED;
            }
            if (!exitAfterChecks) {
                out.println(postgres.settings().uri());
                out.println("Ctrl-C to stop");
                out.flush();
                Quarkus.waitForExit();
            }
            return ExitCodes.OK;
        }
    }
}
