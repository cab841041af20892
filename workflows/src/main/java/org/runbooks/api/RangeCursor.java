package org.runbooks.api;

import java.util.List;

/**
 * Where one key range of a copy stands: the last key committed (null before its first chunk), the rows and chunks
 * written into it so far, and whether it has been read to its end. The target's progress table is the truth; this
 * is the workflow's copy of it, handed to the next slice and carried across continue-as-new.
 */
public record RangeCursor(List<String> lastKey, long rowsCopied, long chunks, boolean done) {

    public RangeCursor {
        lastKey = lastKey == null ? null : List.copyOf(lastKey);
    }
}
