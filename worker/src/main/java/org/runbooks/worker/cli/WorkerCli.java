package org.runbooks.worker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The worker's subcommands, {@code validate} and {@code plan}: they read the worker's configuration (so they see the
 * same connections a running worker would) in Micronaut's {@code cli} environment, where neither the HTTP server nor
 * the Temporal worker starts and the demo data is not seeded. They change no data.
 */
@Command(name = "runbooks-worker", mixinStandardHelpOptions = true,
        subcommands = {ValidateCommand.class, PlanCommand.class, HelpCommand.class},
        description = {
            "Without a subcommand: runs the worker (Temporal workflows and activities, /health, /prometheus).",
            "With one: checks runbooks against this worker's configuration and exits; nothing is started or changed."})
public final class WorkerCli implements Callable<Integer> {

    /** Exit status for a command line that is not understood: 2, as picocli (and most shells' tools) use it. */
    public static final int USAGE = 2;

    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    @Spec
    CommandSpec spec;

    /**
     * True when {@code args} asks for a subcommand (or for help), false when they are for the worker itself: none, or
     * Micronaut's own {@code --name=value} settings.
     */
    public static boolean wants(String[] args) {
        return args.length > 0 && (!args[0].startsWith("-") || HELP.contains(args[0]));
    }

    /** Runs the subcommand on the worker's configuration and returns its exit status. */
    public static int run(String[] args) {
        quietFramework();
        try (ApplicationContext context = ApplicationContext.builder(WorkerCli.class, Environment.CLI).start()) {
            return commandLine(context).execute(args);
        }
    }

    /** The command line with its subcommands built as beans of {@code context}; usage errors print the usage. */
    static CommandLine commandLine(ApplicationContext context) {
        CommandLine cli = new CommandLine(WorkerCli.class, new MicronautFactory(context));
        cli.setParameterExceptionHandler((error, args) -> {
            CommandLine failed = error.getCommandLine();
            failed.getErr().println(error.getMessage());
            failed.usage(failed.getErr());
            return USAGE;
        });
        return cli;
    }

    /** Reached only through {@code runbooks-worker --help}-like calls that name no subcommand. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /**
     * A subcommand's output is its report; the framework's INFO lines (start-up, the Temporal client's shutdown)
     * would only bury it. Every logger is set to WARN, including those the logging configuration sets explicitly.
     */
    private static void quietFramework() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            ch.qos.logback.classic.Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
            logging.getLoggerList().stream().filter(logger -> logger != root).forEach(logger -> logger.setLevel(null));
            root.setLevel(Level.WARN);
        }
    }
}
