package org.runbooks.ui;

import org.runbooks.api.CopyRange;
import org.runbooks.api.RangeCursor;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.WaitStep;

/** The one-line summaries that the Temporal UI shows for a phase's activities and timers. */
public final class Summaries {

    private Summaries() {
    }

    /**
     * {@code copy orders chunk 17/60 (range 2/4)}: the range's next chunk of its estimated chunks (its share of the
     * planned rows at the chunk size in force, never fewer than it has done).
     */
    public static String slice(BackfillStep step, CopyRange range, RangeCursor cursor, long estimatedRows, int chunkRows) {
        long next = cursor.chunks() + 1;
        long share = (estimatedRows + range.of() - 1) / range.of();
        long left = Math.max(0, share - cursor.rowsCopied());
        long estimated = Math.max(next, cursor.chunks() + (left + chunkRows - 1) / chunkRows);
        return "copy " + source(step) + " chunk " + next + "/" + estimated + " (" + range.label() + ")";
    }

    public static String plan(BackfillStep step) {
        return "plan copy " + source(step) + " into " + step.to().table();
    }

    /** {@code soak 30m, re-validate every 5m}, or {@code soak 2h} without a re-validation. */
    public static String soak(WaitStep wait) {
        return "soak " + Durations.compact(wait.duration())
                + (wait.check() == null ? "" : ", re-validate every " + Durations.compact(wait.every()));
    }

    private static String source(BackfillStep step) {
        return step.from().table() != null ? step.from().table() : step.id();
    }
}
