package org.runbooks.backfill;

import java.util.List;

/** A copy's progress as recorded on the target, committed in the same transaction as each chunk. */
record CopyProgress(String copyKey, List<String> firstKey, List<String> lastKey, long rowsCopied, long chunks,
                    long targetRowsBefore, boolean rolledBack) {
}
