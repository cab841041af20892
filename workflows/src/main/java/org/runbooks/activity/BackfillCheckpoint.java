package org.runbooks.activity;

import java.util.List;

/**
 * Where a copy stands, as carried in heartbeat details: the last key committed (null before the first chunk), the
 * rows and chunks done, and how many rows the target held before the first chunk (kept across retries, because
 * the compensation decides from it whether the copied rows may be deleted).
 */
public record BackfillCheckpoint(List<String> lastKey, List<String> firstKey, long rowsCopied, long chunks,
                                 long targetRowsBefore) {
}
