package org.runbooks.model;

import java.time.Duration;

/**
 * Runs {@code apply} on {@code connection}; its compensation runs {@code revert}. A step without a revert must say
 * {@code irreversible: true}. The SQL is taken as written and never has runbook values put into it.
 *
 * @param lockTimeout how long its statements wait for a lock before they fail and are retried after a backoff;
 *                    null: the connection's lock timeout (5 s unless the worker's configuration says otherwise)
 */
public record SqlStep(String id, String connection, String apply, String revert, boolean irreversible,
                      Duration lockTimeout) implements Step {

    public SqlStep(String id, String connection, String apply, String revert, boolean irreversible) {
        this(id, connection, apply, revert, irreversible, null);
    }

    @Override
    public StepKind kind() {
        return StepKind.SQL;
    }
}
