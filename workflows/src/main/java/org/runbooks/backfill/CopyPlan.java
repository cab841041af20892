package org.runbooks.backfill;

import org.runbooks.api.CopyRange;
import org.runbooks.api.RangeCursor;

import java.util.List;

/**
 * A planned copy: its key ranges in key order, each range's cursor as the target's progress table records it (all at
 * the start for a new copy; further on for a copy planned before, whose ranges are kept), the source's row count
 * when planned ({@code estimatedRows}: rows added later make the copy run past it), and the target's row count
 * before the first chunk.
 */
public record CopyPlan(List<CopyRange> ranges, List<RangeCursor> cursors, long estimatedRows, long targetRowsBefore) {

    public CopyPlan {
        ranges = List.copyOf(ranges);
        cursors = List.copyOf(cursors);
    }
}
