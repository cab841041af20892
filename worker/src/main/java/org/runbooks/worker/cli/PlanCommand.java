package org.runbooks.worker.cli;

import io.micronaut.context.annotation.Prototype;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.notify.WebhookRegistry;
import org.runbooks.plan.CheckLogins;
import org.runbooks.plan.RunbookPlan;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;
import org.runbooks.worker.pool.CappedConnectionRegistry;
import org.runbooks.worker.pool.PoolPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code plan FILE}: parses the runbook, runs pre-flight against the databases this worker is configured with (read
 * only) and prints the dry-run plan with the findings. Exit status 0 when nothing is an ERROR, 1 otherwise.
 */
@Prototype
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Parse a runbook, check it against this worker's databases (read only) and print the plan.")
public class PlanCommand implements Callable<Integer> {

    @Parameters(arity = "1", paramLabel = "FILE", description = "a runbook file, relative to the current directory")
    String file;

    @Spec
    CommandSpec spec;

    private final CappedConnectionRegistry connections;
    private final WebhookRegistry webhooks;

    public PlanCommand(CappedConnectionRegistry connections, WebhookRegistry webhooks) {
        this.connections = connections;
        this.webhooks = webhooks;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunbookFile read = RunbookFile.read(file, connections.names(), webhooks.names());
        if (!read.valid()) {
            read.problems().forEach(out::println);
            out.flush();
            return 1;
        }
        PreflightReport report = new Preflight(connections).check(read.runbook());
        String plan = RunbookPlan.render(file, read.runbook(), report, read.positions(),
                CheckLogins.warnings(read.runbook(), connections, read.positions()));
        int result = plan.lastIndexOf("Result: ");
        out.print(plan.substring(0, result) + PoolPlan.render(read.runbook(), connections) + plan.substring(result));
        out.flush();
        return report.hasErrors() ? 1 : 0;
    }
}
