package io.learnflow.pgk8s.cli;

import java.io.PrintWriter;

import io.learnflow.pgk8s.cli.options.DbOptions;
import io.learnflow.pgk8s.cli.options.KubeOptions;
import io.learnflow.pgk8s.connect.ClusterDefaults;
import io.learnflow.pgk8s.connect.ConnectionFormat;
import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.learnflow.pgk8s.db.ConnectionSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "connection", mixinStandardHelpOptions = true,
        description = "Print the connection details services use. With a cluster, the values of Secret postgres-app"
                + " replace the built-in defaults; options and PG* variables still come first.",
        footer = { "%nFormats: env is export NAME='value' lines for eval or '.', quoted for POSIX shells;"
                + " env-file is NAME=value lines for docker run --env-file and kubectl --from-env-file, unquoted,"
                + " and refuses a value with a line break; uri is for libpq (psql), jdbc for pgjdbc.",
                "A prod Secret's password is printed only with --show-secret: text masks it, the other formats"
                        + " exit 2 without it. When the Secret cannot be read, one 'note:' line on stderr." })
public class ConnectionCommand implements Runnable {
    @Mixin
    DbOptions db;
    @Mixin
    KubeOptions kube;
    @Option(names = "--no-k8s", description = "do not read Secret postgres-app, even when a cluster is configured")
    boolean noK8s;
    @Option(names = "--show-secret", description = "print a prod password")
    boolean showSecret;
    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json, env, env-file, jdbc or uri")
    String output;
    @Spec
    CommandSpec spec;

    private final ConnectionResolver resolver;
    private final ConnectionEnvironment environment;

    public ConnectionCommand(ConnectionResolver resolver, ConnectionEnvironment environment) {
        this.resolver = resolver;
        this.environment = environment;
    }

    @Override
    public void run() {
        ConnectionFormat format = ConnectionFormat.parse(output);
        PrintWriter err = spec.commandLine().getErr();
        ClusterDefaults defaults = ClusterDefaults.read(kube.access(noK8s, environment),
                note -> err.println("note: " + note));
        ConnectionSettings settings = db.resolve(resolver.withDefaults(defaults.settings()));
        spec.commandLine().getOut().println(defaults.render(format, settings, showSecret));
    }
}
