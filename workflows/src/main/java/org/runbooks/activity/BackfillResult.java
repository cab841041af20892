package org.runbooks.activity;

import java.util.List;

/**
 * A finished copy. {@code firstKey} and {@code lastKey} bound the keys written (both null when the source was
 * empty); {@code targetRowsBefore} is the target's row count before the first chunk.
 */
public record BackfillResult(long rowsCopied, long chunks, long targetRowsBefore, List<String> firstKey,
                             List<String> lastKey) {
}
