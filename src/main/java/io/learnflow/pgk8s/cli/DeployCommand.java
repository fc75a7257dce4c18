package io.learnflow.pgk8s.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.cli.options.KubeOptions;
import io.learnflow.pgk8s.cli.options.PositiveInteger;
import io.learnflow.pgk8s.cli.options.ProfileOption;
import io.learnflow.pgk8s.deploy.DeployService;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.profile.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Apply PostgreSQL 16 to the postgres namespace (server-side apply) and wait until it is Ready."
                + " Idempotent: keeps passwords and data.",
        footer = { "%nstdout: the final line; stderr: one line per object (created, configured, unchanged) and the"
                + " waiting states." })
public class DeployCommand implements Runnable {
    /** Seconds per request to the API server; the wait itself is a watch, bounded by --timeout. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ProfileOption profile;
    @Mixin
    KubeOptions kube;
    @Option(names = "--timeout", defaultValue = "300", paramLabel = "SECONDS", converter = PositiveInteger.class,
            description = "give up waiting for Ready after this long, exit 1 (default ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Option(names = "--dry-run", description = "the API server's server-side dry run: show what would change")
    boolean dryRun;
    @Option(names = "--force", description = "allow switching an existing deployment's profile; PVCs are kept")
    boolean force;
    @Option(names = "--force-conflicts", description = "take over fields that another field manager set")
    boolean forceConflicts;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Profile chosen = profile.profile();
        PrintWriter err = spec.commandLine().getErr();
        try (KubernetesClient client = kube.require().connect(REQUEST_TIMEOUT)) {
            String done = new DeployService(client, new SecureRandom()).deploy(chosen, InitialSchema.bundled(),
                    new DeployService.Options(dryRun, force, forceConflicts, Duration.ofSeconds(timeoutSeconds)),
                    line -> print(err, line), line -> print(err, line));
            spec.commandLine().getOut().println(done);
        }
    }

    private static void print(PrintWriter writer, String line) {
        writer.println(line);
        writer.flush();
    }
}
