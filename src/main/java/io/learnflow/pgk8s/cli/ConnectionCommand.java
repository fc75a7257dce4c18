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
        description = "Print the connection details services use. Touches no network.",
        footer = { "%nFormats: env is export NAME='value' lines for eval or '.', quoted for POSIX shells;"
                + " env-file is NAME=value lines for docker run --env-file and kubectl --from-env-file, unquoted,"
                + " and refuses a value with a line break; uri is for libpq (psql), jdbc for pgjdbc." })
public class ConnectionCommand implements Runnable {
    @Mixin
    DbOptions db;
    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json, env, env-file, jdbc or uri")
    String output;
    @Spec
    CommandSpec spec;

    private final ConnectionResolver resolver;

    public ConnectionCommand(ConnectionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void run() {
        ConnectionFormat format = ConnectionFormat.parse(output);
        spec.commandLine().getOut().println(format.render(db.resolve(resolver)));
    }
}
