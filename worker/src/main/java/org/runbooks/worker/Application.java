package org.runbooks.worker;

import io.micronaut.runtime.Micronaut;

/** Starts the worker: Temporal workflows and activities, plus health and Prometheus endpoints over HTTP. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
