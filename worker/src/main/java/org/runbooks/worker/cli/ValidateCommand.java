package org.runbooks.worker.cli;

import io.micronaut.context.annotation.Prototype;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.notify.WebhookRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code validate FILE...}: parses each runbook against the connection names in this worker's configuration and
 * prints every error as {@code file:line:col: path: message}, or {@code FILE: ok}. It opens no connection. Exit
 * status 0 when every file is valid, 1 otherwise.
 */
@Prototype
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Parse runbook files against this worker's connection names; print every error, or FILE: ok.")
public class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "runbook files, relative to the current directory")
    List<String> files;

    @Spec
    CommandSpec spec;

    private final ConnectionRegistry connections;
    private final WebhookRegistry webhooks;

    public ValidateCommand(ConnectionRegistry connections, WebhookRegistry webhooks) {
        this.connections = connections;
        this.webhooks = webhooks;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean allValid = true;
        for (String file : files) {
            RunbookFile read = RunbookFile.read(file, connections.names(), webhooks.names());
            if (read.valid()) {
                out.println(file + ": ok");
            } else {
                read.problems().forEach(out::println);
                allValid = false;
            }
        }
        out.flush();
        return allValid ? 0 : 1;
    }
}
