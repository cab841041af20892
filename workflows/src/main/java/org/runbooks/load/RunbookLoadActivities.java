package org.runbooks.load;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.runbooks.api.LoadedRunbook;

/** Reads a runbook file on the worker and checks it before the first step runs. */
@ActivityInterface
public interface RunbookLoadActivities {

    /**
     * Reads {@code file} (relative to the worker's working directory, and only from its runbooks directory), parses
     * it and checks it against the connections the worker knows. Fails with the non-retryable type
     * {@code InvalidRunbook}, carrying every error, when it does not pass, and {@code RunbookNotFound} for a file
     * outside the runbooks directory. Reads only; no idempotency key needed.
     */
    @ActivityMethod(name = "LoadRunbook")
    LoadedRunbook loadRunbook(String file);
}
