package io.learnflow.pgk8s.cli;

import java.io.PrintWriter;

import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.DbErrors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Every error is one line on stderr, {@code error: <what is wrong>, <how to fix it>}, and a documented exit code. */
public class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** Set PGK8S_DEBUG=1 to see stack traces. */
    static final String DEBUG_ENV = "PGK8S_DEBUG";

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof Pgk8sException known) {
            err.println("error: " + known.getMessage());
            debug(e, err);
            return known.exitCode();
        }
        if (e instanceof ParameterException usage) {
            return handleParseException(usage, new String[0]);
        }
        err.println("error: " + e.getClass().getSimpleName() + ": " + DbErrors.firstLine(e.getMessage())
                + ", run again with " + DEBUG_ENV + "=1 for details");
        debug(e, err);
        return ExitCodes.FAILED;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("error: " + DbErrors.firstLine(e.getMessage()) + ", see '"
                + cmd.getCommandSpec().qualifiedName() + " --help'");
        return ExitCodes.USAGE;
    }

    private static void debug(Exception e, PrintWriter err) {
        if (System.getenv(DEBUG_ENV) != null) {
            e.printStackTrace(err);
        }
    }
}
