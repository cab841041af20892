package org.runbooks.backfill;

import java.util.List;

/**
 * A finished copy. {@code firstKey} and {@code lastKey} bound the keys written (both null when the source was
 * empty); {@code targetRowsBefore} is the target's row count before the first chunk; {@code keyRanges} is how many
 * key ranges the copy ran in (1 when it was not split, and in results recorded before ranges existed).
 */
public record BackfillResult(long rowsCopied, long chunks, long targetRowsBefore, List<String> firstKey,
                             List<String> lastKey, int keyRanges) {

    public BackfillResult {
        keyRanges = Math.max(1, keyRanges);
    }

    /** The result of a copy in one key range. */
    public BackfillResult(long rowsCopied, long chunks, long targetRowsBefore, List<String> firstKey,
                          List<String> lastKey) {
        this(rowsCopied, chunks, targetRowsBefore, firstKey, lastKey, 1);
    }
}
