package org.runbooks.activity;

/**
 * What one slice did: the range's cursor after it (its totals, and {@code done} once the range is read to its
 * end), the rows and chunks this slice wrote, and {@code resumeAfterMillis}: how long the rate limit still asks the
 * range to wait before its next slice (0 when it need not), so a slow rate never holds an activity open.
 */
public record SliceResult(RangeCursor cursor, long rowsWritten, long chunksWritten, long resumeAfterMillis) {

    public boolean done() {
        return cursor.done();
    }
}
