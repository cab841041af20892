package org.runbooks.worker.cli;

import io.micronaut.context.annotation.Prototype;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.load.RunbookFiles;
import org.runbooks.notify.WebhookRegistry;
import org.runbooks.plan.CheckLogins;
import org.runbooks.plan.RunbookPlan;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;
import org.runbooks.worker.WorkerSettings;
import org.runbooks.worker.pool.CappedConnectionRegistry;
import org.runbooks.worker.pool.PoolPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    private final WorkerSettings settings;

    public PlanCommand(CappedConnectionRegistry connections, WebhookRegistry webhooks, WorkerSettings settings) {
        this.connections = connections;
        this.webhooks = webhooks;
        this.settings = settings;
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
        List<String> warnings = new ArrayList<>();
        outsideTheRunbooksDirectory().ifPresent(warnings::add);
        warnings.addAll(CheckLogins.warnings(read.runbook(), connections, read.positions()));
        String plan = RunbookPlan.render(file, read.runbook(), report, read.positions(), warnings);
        int result = plan.lastIndexOf("Result: ");
        out.print(plan.substring(0, result) + PoolPlan.render(read.runbook(), connections) + plan.substring(result));
        out.flush();
        return report.hasErrors() ? 1 : 0;
    }

    /** Why a worker with this configuration would refuse to start the file, if it would. */
    private Optional<String> outsideTheRunbooksDirectory() {
        try {
            new RunbookFiles(Path.of(settings.getBaseDir()), Path.of(settings.getWorkingDir())).locate(file);
            return Optional.empty();
        } catch (ApplicationFailure refused) {
            return Optional.of(file + ": a start naming this file is refused (runbooks.base-dir): "
                    + refused.getOriginalMessage());
        }
    }
}
