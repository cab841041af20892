package org.runbooks.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reads a runbook file on the worker and checks it before the first step runs. */
@ActivityInterface
public interface RunbookLoadActivities {

    /**
     * Reads {@code file} (relative to the worker's runbooks directory), parses it and checks it against the
     * connections the worker knows. Fails with the non-retryable type {@code InvalidRunbook}, carrying every error,
     * when it does not pass. Reads only; no idempotency key needed.
     */
    @ActivityMethod
    LoadedRunbook loadRunbook(String file);
}
