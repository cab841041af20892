package org.runbooks.parse;

import org.runbooks.model.SqlStep;

import java.time.Duration;

/** {@code sql: {connection, apply, revert | irreversible: true, lockTimeout}}. */
final class SqlParser implements StepParser<SqlStep> {

    @Override
    public SqlStep parse(String id, Node body) {
        String connection = Fields.connection(body, "connection");
        String apply = body.requiredText("apply");
        String revert = body.optionalText("revert", null);
        boolean irreversible = body.optionalBoolean("irreversible", false);
        if (revert != null && revert.isBlank()) {
            body.error(body.child("revert"), "must not be blank");
        }
        if (revert == null && !irreversible && !body.has("revert")) {
            body.error(body.child("revert"), "is required; a step that cannot be undone says irreversible: true");
        }
        if (revert != null && irreversible) {
            body.error(body.child("irreversible"), "contradicts the revert given");
        }
        Duration lockTimeout = body.optionalDuration("lockTimeout");
        return new SqlStep(id, connection, apply, revert, irreversible, lockTimeout);
    }
}
