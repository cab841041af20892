package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What undoes one step. Each is registered before the call it undoes and names that call by its idempotency key,
 * so a step that failed half-way is undone as far as it got. Sealed: the saga's switch covers every kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Compensation.RestoreFlag.class, name = "restoreFlag"),
    @JsonSubTypes.Type(value = Compensation.RemoveCopiedRows.class, name = "removeCopiedRows"),
    @JsonSubTypes.Type(value = Compensation.RevertSql.class, name = "revertSql"),
    @JsonSubTypes.Type(value = Compensation.Irreversible.class, name = "irreversible"),
})
public sealed interface Compensation {

    /** The step this undoes. */
    String stepId();

    /** In the compensation log: what this does, in an operator's words. */
    String describe();

    record RestoreFlag(String stepId, org.runbooks.api.FlagRestore restore) implements Compensation {
        @Override
        public String describe() {
            return "restore flag " + restore.name() + " on " + restore.connection();
        }
    }

    record RemoveCopiedRows(String stepId, org.runbooks.api.RemoveCopiedRows request) implements Compensation {
        @Override
        public String describe() {
            return "remove rows copied into " + request.step().to();
        }
    }

    record RevertSql(String stepId, org.runbooks.api.SqlRun revert) implements Compensation {
        @Override
        public String describe() {
            return "run the revert SQL of " + stepId + " on " + revert.connection();
        }
    }

    /** A step the runbook declared irreversible: nothing runs, and the log says so. */
    record Irreversible(String stepId) implements Compensation {
        @Override
        public String describe() {
            return "nothing: step " + stepId + " is declared irreversible";
        }
    }
}
