package org.runbooks.api;

import org.runbooks.backfill.BackfillActivities;

/**
 * One key range of a copy, as {@link BackfillActivities#planCopy} planned it: the rows whose leading key column
 * {@code column} lies in {@code [from, to)}, a null bound being open. A copy that is not split has one range with
 * both bounds open.
 *
 * @param number 1-based position in key order
 * @param of     how many ranges the copy has
 */
public record CopyRange(int number, int of, String column, Long from, Long to) {

    /** {@code range 2/4}, as activity summaries and logs name it. */
    public String label() {
        return "range " + number + "/" + of;
    }
}
