package org.runbooks.backfill;

import org.runbooks.api.RangeCursor;
import org.runbooks.api.ThrottleReading;

/**
 * What one slice did: the range's cursor after it (its totals, and {@code done} once the range is read to its
 * end), the rows and chunks this slice wrote, and {@code resumeAfterMillis}: how long the rate limit still asks the
 * range to wait before its next slice (0 when it need not), so a slow rate never holds an activity open.
 * {@code throttle} is the throttle probe's state at the end of the slice; null when the step has no probe.
 */
public record SliceResult(RangeCursor cursor, long rowsWritten, long chunksWritten, long resumeAfterMillis,
                          ThrottleReading throttle) {

    /** A slice of a copy without a throttle probe. */
    public SliceResult(RangeCursor cursor, long rowsWritten, long chunksWritten, long resumeAfterMillis) {
        this(cursor, rowsWritten, chunksWritten, resumeAfterMillis, null);
    }

    public boolean done() {
        return cursor.done();
    }
}
