package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.config.InvalidSettingException;
import dev.hubbletls.agent.probe.JsseLimits;
import java.io.PrintWriter;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code check}, {@code run} and {@code demo}. */
@Command(name = "hubble-tls-agent", mixinStandardHelpOptions = true,
        version = "hubble-tls-agent 0.1.0",
        description = "Proves that this node's Hubble server enforces mutual TLS the way"
                + " Hubble Relay needs it.",
        subcommands = {CheckCommand.class, RunCommand.class, DemoCommand.class})
public final class Main {

    /** Exit code when the agent could not run at all: bad flags or configuration. */
    public static final int EXIT_CANNOT_RUN = 3;

    /**
     * One line per record, UTC ISO time first. Kept unless the user configured a format.
     */
    private static final String LOG_FORMAT =
            "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n";
    /**
     * gRPC logs a name-resolution or connection failure at WARNING with a stack trace; the
     * probe that met it already reports it as a finding. Held here because JUL keeps only
     * weak references to loggers.
     */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    public static void main(String[] args) {
        // Before anything (telemetry, the demo's server) makes the JVM's first TLS context.
        JsseLimits.raise();
        configureLogging();
        System.exit(execute(args, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Main());
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((exception, arguments) -> {
            err.println(exception.getMessage());
            err.println("Try 'hubble-tls-agent" + commandName(exception.getCommandLine())
                    + " --help'.");
            return EXIT_CANNOT_RUN;
        });
        line.setExecutionExceptionHandler((exception, commandLine, parsed) -> {
            if (exception instanceof InvalidSettingException invalid) {
                err.println(invalid.getMessage());
                return EXIT_CANNOT_RUN;
            }
            throw exception;
        });
        return line.execute(args);
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        GRPC_LOG.setLevel(Level.SEVERE);
    }

    private static String commandName(CommandLine line) {
        return line.getCommandSpec().name().equals("hubble-tls-agent")
                ? "" : " " + line.getCommandSpec().name();
    }
}
