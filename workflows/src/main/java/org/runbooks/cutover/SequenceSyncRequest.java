package org.runbooks.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Which target table's generated keys to move past the source's.
 *
 * @param sourceConnection a connection name the worker resolves
 * @param sourceTable      {@code name} or {@code schema.name}
 * @param targetConnection likewise, for the target
 * @param targetTable      likewise
 * @param columns          target column to source column, where the backfill renamed one; a generated target
 *                         column not listed reads the source column of the same name
 * @param margin           how far past the source's next value the target starts (0: right after it)
 */
public record SequenceSyncRequest(@JsonProperty("sourceConnection") String sourceConnection,
                                  @JsonProperty("sourceTable") String sourceTable,
                                  @JsonProperty("targetConnection") String targetConnection,
                                  @JsonProperty("targetTable") String targetTable,
                                  @JsonProperty("columns") Map<String, String> columns,
                                  @JsonProperty("margin") long margin) {

    public SequenceSyncRequest {
        columns = columns == null ? Map.of() : Map.copyOf(columns);
    }
}
