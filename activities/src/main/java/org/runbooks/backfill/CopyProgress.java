package org.runbooks.backfill;

import java.util.List;

/**
 * A copy's progress as recorded on the target, committed in the same transaction as each chunk. {@code chunkRows} is
 * the size chunk latency had brought the range's chunks to when its last chunk committed ({@link ChunkLatency}), so a
 * later slice or attempt starts there rather than at the configured size; null before the first chunk, and in rows
 * written before the size was recorded.
 */
record CopyProgress(String copyKey, List<String> firstKey, List<String> lastKey, long rowsCopied, long chunks,
                    long targetRowsBefore, boolean rolledBack, Integer chunkRows) {
}
