package org.runbooks.backfill;

import org.runbooks.api.CopyRange;

import java.util.ArrayList;
import java.util.List;

/**
 * A copy's progress summed over its key ranges. Ranges are in key order, so the first key written is the first
 * range's that wrote anything, and the last key the last such range's.
 */
record CopyTotals(long rowsCopied, long chunks, long targetRowsBefore, List<String> firstKey, List<String> lastKey) {

    static CopyTotals of(List<CopyProgress> ranges) {
        long rows = 0;
        long chunks = 0;
        List<String> first = null;
        List<String> last = null;
        for (CopyProgress p : ranges) {
            rows += p.rowsCopied();
            chunks += p.chunks();
            if (p.firstKey() != null) {
                first = first == null ? p.firstKey() : first;
                last = p.lastKey();
            }
        }
        return new CopyTotals(rows, chunks, ranges.get(0).targetRowsBefore(), first, last);
    }

    BackfillResult result(int keyRanges) {
        return new BackfillResult(rowsCopied, chunks, targetRowsBefore, firstKey, lastKey, keyRanges);
    }

    /** The heartbeat details: totals, and each range's own checkpoint when there is more than one. */
    static BackfillCheckpoint checkpoint(List<CopyRange> ranges, List<CopyProgress> progress) {
        CopyTotals totals = of(progress);
        List<BackfillCheckpoint.Slice> slices = new ArrayList<>();
        if (ranges.size() > 1) {
            for (int i = 0; i < ranges.size(); i++) {
                CopyProgress p = progress.get(i);
                slices.add(new BackfillCheckpoint.Slice(ranges.get(i).toString(), p.lastKey(), p.rowsCopied(),
                        p.chunks()));
            }
        }
        return new BackfillCheckpoint(totals.lastKey, totals.firstKey, totals.rowsCopied, totals.chunks,
                totals.targetRowsBefore, slices);
    }
}
