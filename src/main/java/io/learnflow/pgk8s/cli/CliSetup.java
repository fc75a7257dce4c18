package io.learnflow.pgk8s.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.Config;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.db.ConnectionEnvironment;
import io.learnflow.pgk8s.db.ConnectionResolver;
import io.quarkus.arc.DefaultBean;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import picocli.CommandLine;

/**
 * Wires picocli once: error handling and exit codes for every command, and the connection resolver with the
 * environment it reads.
 */
@ApplicationScoped
public class CliSetup {
    static final Map<String, String> EXIT_CODES = exitCodes();

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        ErrorHandler errors = new ErrorHandler();
        CommandLine commandLine = factory.create()
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(true);
        documentExitCodes(commandLine);
        return commandLine;
    }

    @Produces
    @Singleton
    ConnectionResolver connectionResolver(Config config, ConnectionEnvironment environment) {
        return new ConnectionResolver(environment, key -> config.getOptionalValue(key, String.class));
    }

    /** The process's PG* variables and home directory; in-JVM tests replace it with a bean of their own. */
    @Produces
    @Singleton
    @DefaultBean
    ConnectionEnvironment connectionEnvironment() {
        return ConnectionEnvironment.system();
    }

    private static void documentExitCodes(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        commandLine.getSubcommands().values().forEach(CliSetup::documentExitCodes);
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(ExitCodes.OK), "ok");
        codes.put(Integer.toString(ExitCodes.FAILED), "failed, or the database is unhealthy");
        codes.put(Integer.toString(ExitCodes.USAGE), "usage error or bad input; nothing was changed");
        return codes;
    }
}
