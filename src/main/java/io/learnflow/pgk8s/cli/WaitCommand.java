package io.learnflow.pgk8s.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.cli.options.MigrationsOption;
import io.learnflow.pgk8s.cli.options.PositiveInteger;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.health.DbProbe;
import io.learnflow.pgk8s.health.Readiness;
import io.learnflow.pgk8s.health.SchemaStatus;
import io.learnflow.pgk8s.health.Waiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Block until the database accepts connections, exists and is migrated to --min-version."
                + " For init containers; needs no Kubernetes access.")
public class WaitCommand implements Callable<Integer> {
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    @Mixin
    DbOptions db;
    @Mixin
    MigrationsOption migrations;
    @Option(names = "--min-version", paramLabel = "N", converter = PositiveInteger.class,
            description = "schema version to wait for (default: the newest migration)")
    Integer minVersion;
    @Option(names = "--timeout", defaultValue = "300", paramLabel = "SECONDS", converter = PositiveInteger.class,
            description = "give up after this long, exit 1 (default ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Spec
    CommandSpec spec;

    private final ConnectionResolver resolver;

    public WaitCommand(ConnectionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Integer call() {
        List<Integer> available = migrations.source().versions();
        int target = minVersion != null ? minVersion : SchemaStatus.newest(available);
        Waiter waiter = Waiter.polling(new DbProbe(), db.resolve(resolver));
        Readiness.Verdict verdict = waiter.await(available, target, Duration.ofSeconds(timeoutSeconds), POLL_INTERVAL,
                spec.commandLine().getErr()::println);
        spec.commandLine().getOut().println(verdict.message());
        return ExitCodes.OK;
    }
}
