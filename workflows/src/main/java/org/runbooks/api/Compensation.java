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
    @JsonSubTypes.Type(value = Compensation.DropStream.class, name = "dropStream"),
    @JsonSubTypes.Type(value = Compensation.ThawWrites.class, name = "thawWrites"),
    @JsonSubTypes.Type(value = Compensation.SwitchBack.class, name = "switchBack"),
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

    /**
     * Stops a stream (its workflow {@code workflowId} and the activity that applies) and drops the replication slot
     * and publication it created on the source, with its applied position: never a row of either table.
     * {@code streamId} names the slot and the position, as the stream's activities were called with it.
     */
    record DropStream(String stepId, String workflowId, String streamId, org.runbooks.model.TableRef from,
                      org.runbooks.model.TableRef to, java.util.List<String> key) implements Compensation {
        @Override
        public String describe() {
            return "stop stream " + stepId + " and drop what it created on " + from.connection();
        }
    }

    /** Lifts the freeze {@code freezeId} on {@code connection}: removes exactly what it installed, if anything. */
    record ThawWrites(String stepId, String freezeId, String connection) implements Compensation {
        @Override
        public String describe() {
            return "lift the write freeze on " + connection;
        }
    }

    /**
     * Rolls a cutover back after its switch: freezes writes on the target's {@code targetTables}, lets the reverse
     * stream (target to source) apply everything up to that point, restores the flags, lifts the freeze, then stops
     * and drops the reverse stream. The source then holds every write the application made on the target; no row is
     * deleted anywhere. Registered at the switch, so a rollback before it never runs it.
     *
     * @param reverseWorkflow the reverse stream's workflow id
     * @param reverseStreamId the reverse stream's id (slot, publication, applied position)
     * @param from            the reverse stream's source: the cutover's target table
     * @param to              the reverse stream's target: the cutover's source table
     * @param targetFreezeId  names the freeze of the target's tables
     * @param flags           the flags the switch flipped, in the order it flipped them
     * @param catchUpMillis   how long the reverse stream gets, writes frozen, to catch up
     * @param settleMillis    how long the restored flags get to reach every application before the target thaws
     * @param others          the reverse streams of a cutover of several streams after the first (the one above): the
     *                        switch back freezes every target table, waits for every reverse stream, restores the
     *                        flags once; null or empty for a cutover of one stream
     */
    record SwitchBack(String stepId, String reverseWorkflow, String reverseStreamId, org.runbooks.model.TableRef from,
                      org.runbooks.model.TableRef to, java.util.List<String> key, String targetFreezeId,
                      java.util.List<String> targetTables, java.util.List<FlagRestore> flags, long catchUpMillis,
                      long settleMillis, java.util.List<ReverseStream> others)
            implements Compensation {

        public SwitchBack {
            others = others == null ? java.util.List.of() : java.util.List.copyOf(others);
        }

        /** Every reverse stream, the first one first. */
        public java.util.List<ReverseStream> reverseStreams() {
            java.util.List<ReverseStream> all = new java.util.ArrayList<>();
            all.add(new ReverseStream(reverseWorkflow, reverseStreamId, from, to, key));
            all.addAll(others);
            return all;
        }

        /**
         * The target tables to freeze by connection: {@code targetTables} on the first stream's target for one
         * stream; with several, each reverse stream's source table on its connection.
         */
        public java.util.Map<String, java.util.List<String>> targetTablesByConnection() {
            if (others.isEmpty()) {
                return java.util.Map.of(from.connection(), targetTables);
            }
            java.util.Map<String, java.util.List<String>> tables = new java.util.LinkedHashMap<>();
            for (ReverseStream r : reverseStreams()) {
                java.util.List<String> onIt = tables.computeIfAbsent(r.from().connection(),
                        k -> new java.util.ArrayList<>());
                if (!onIt.contains(r.from().table())) {
                    onIt.add(r.from().table());
                }
            }
            return tables;
        }

        @Override
        public String describe() {
            return others.isEmpty() ? "switch back from " + from + " to " + to + " through the reverse stream"
                    : "switch back " + reverseStreams().stream().map(r -> r.from() + " to " + r.to())
                    .collect(java.util.stream.Collectors.joining(", ")) + " through the reverse streams";
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
