package io.learnflow.pgk8s.cli;

import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.connect.ConnectionFormat;
import io.learnflow.pgk8s.db.ConnectionResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "connection", mixinStandardHelpOptions = true,
        description = "Print the connection details services use. Touches no network.")
public class ConnectionCommand implements Runnable {
    @Mixin
    DbOptions db;
    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json, env, jdbc or uri")
    ConnectionFormat output;
    @Spec
    CommandSpec spec;

    private final ConnectionResolver resolver;

    public ConnectionCommand(ConnectionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void run() {
        spec.commandLine().getOut().println(output.render(db.resolve(resolver)));
    }
}
