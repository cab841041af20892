package org.runbooks.api;

import java.util.List;

/**
 * Where a sliced copy stands, as a phase carries it across continue-as-new: the planned ranges, each range's cursor
 * and the earliest workflow time its next slice may start (0: at once; the rate limit can ask a range to wait), the
 * planned row estimate, and what the progress reports need: when the copy started, the rows done then, and the last
 * whole percent told to the runbook.
 */
public record CopyCarry(List<CopyRange> ranges, List<RangeCursor> cursors, List<Long> notBeforeMillis,
                        long estimatedRows, long startedAtMillis, long rowsAtStart, int percentTold) {

    public CopyCarry {
        ranges = List.copyOf(ranges);
        cursors = List.copyOf(cursors);
        notBeforeMillis = List.copyOf(notBeforeMillis);
    }
}
