package org.runbooks.worker;

import io.micronaut.runtime.Micronaut;
import org.runbooks.worker.cli.WorkerCli;

/**
 * Starts the worker: Temporal workflows and activities, plus health and Prometheus endpoints over HTTP. With a
 * subcommand ({@code validate FILE...}, {@code plan FILE}) it runs that instead and exits with its status; see
 * {@link WorkerCli}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        if (WorkerCli.wants(args)) {
            System.exit(WorkerCli.run(args));
        }
        Micronaut.run(Application.class, args);
    }
}
