package org.runbooks.backfill;

import java.util.List;

/**
 * Where a copy stands, as carried in heartbeat details: the last key committed (null before the first chunk), the
 * rows and chunks done, and how many rows the target held before the first chunk (kept across retries, because
 * the compensation decides from it whether the copied rows may be deleted). A copy split into key ranges adds one
 * {@link Slice} per range, and its {@code firstKey}/{@code lastKey} are then the lowest and highest keys written
 * so far; {@code slices} is empty for a copy in one range, and in details recorded before ranges existed.
 */
public record BackfillCheckpoint(List<String> lastKey, List<String> firstKey, long rowsCopied, long chunks,
                                 long targetRowsBefore, List<Slice> slices) {

    public BackfillCheckpoint {
        slices = slices == null ? List.of() : List.copyOf(slices);
    }

    /** The checkpoint of a copy in one key range. */
    public BackfillCheckpoint(List<String> lastKey, List<String> firstKey, long rowsCopied, long chunks,
                              long targetRowsBefore) {
        this(lastKey, firstKey, rowsCopied, chunks, targetRowsBefore, List.of());
    }

    /**
     * One key range's own checkpoint: {@code range} as {@code id in [50001, 100001)}, and the last key it committed
     * (null before its first chunk), which is where it resumes.
     */
    public record Slice(String range, List<String> lastKey, long rowsCopied, long chunks) {
    }
}
