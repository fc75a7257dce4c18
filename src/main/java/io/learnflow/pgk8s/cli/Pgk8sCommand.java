package io.learnflow.pgk8s.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@TopCommand
@Command(name = "pgk8s", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PostgreSQL 16 for LearnFlow on Kubernetes: deploy, migrate, wait, verify, connection, render, local.",
        subcommands = { DeployCommand.class, MigrateCommand.class, WaitCommand.class, VerifyCommand.class,
                ConnectionCommand.class, RenderCommand.class, LocalCommand.class })
public class Pgk8sCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command, e.g. 'pgk8s local'");
    }
}
