package org.runbooks.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Every generated column of the target table, and what its next value was and is now; {@code millis}: how long the
 * move took, as the activity measured it (0 when not measured).
 */
public record SequenceSyncResult(@JsonProperty("columns") List<SequenceMove> columns,
                                 @JsonProperty("millis") long millis) {

    /** What moved, with no measure of how long it took (0). */
    public SequenceSyncResult(List<SequenceMove> columns) {
        this(columns, 0);
    }

    /**
     * One generated column.
     *
     * @param column      the target column
     * @param generator   the PostgreSQL sequence that feeds it, or {@code AUTO_INCREMENT}
     * @param sourceNext  the next value the source would hand out (its generator's, or its largest value + 1)
     * @param targetBefore the target's next value before
     * @param targetAfter  the target's next value now; equal to {@code targetBefore} when it was already far enough
     */
    public record SequenceMove(@JsonProperty("column") String column, @JsonProperty("generator") String generator,
                               @JsonProperty("sourceNext") long sourceNext,
                               @JsonProperty("targetBefore") long targetBefore,
                               @JsonProperty("targetAfter") long targetAfter) {
    }

    public SequenceSyncResult {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }
}
