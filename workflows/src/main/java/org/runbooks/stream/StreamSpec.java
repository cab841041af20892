package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One stream: which source table's changes reach which target table, matched by {@code key}.
 *
 * @param streamId         run id + step id: names the slot and publication (after cleaning, see
 *                         {@code StreamNames} on the worker) and the applied position's row; the idempotency key of
 *                         every stream activity
 * @param sourceConnection a connection name the worker resolves (credentials never enter history)
 * @param sourceTable      {@code name} or {@code schema.name}
 * @param targetConnection where the changes are applied, and where the applied position is kept
 * @param targetTable      {@code name} or {@code schema.name}
 * @param key              the columns that identify a row on both sides (the source's primary key or replica
 *                         identity)
 * @param schemaAdopted    true for the run after an operator retried a stream stopped by a schema change: changes
 *                         made before and after the change are applied by the columns they carry, as long as the
 *                         target has each of them; null or false: a change must carry exactly the source's columns
 */
public record StreamSpec(@JsonProperty("streamId") String streamId,
                         @JsonProperty("sourceConnection") String sourceConnection,
                         @JsonProperty("sourceTable") String sourceTable,
                         @JsonProperty("targetConnection") String targetConnection,
                         @JsonProperty("targetTable") String targetTable,
                         @JsonProperty("key") List<String> key,
                         @JsonProperty("schemaAdopted") Boolean schemaAdopted) {

    public StreamSpec(String streamId, String sourceConnection, String sourceTable, String targetConnection,
                      String targetTable, List<String> key) {
        this(streamId, sourceConnection, sourceTable, targetConnection, targetTable, key, null);
    }

    /** This stream, for the run after an operator retried it past a schema change (see {@code schemaAdopted}). */
    public StreamSpec adoptingSchema() {
        return new StreamSpec(streamId, sourceConnection, sourceTable, targetConnection, targetTable, key, true);
    }

    public boolean adoptsSchema() {
        return Boolean.TRUE.equals(schemaAdopted);
    }
}
