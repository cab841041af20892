package org.runbooks.api;

/**
 * One key range of a copy, the one position type of a backfill's plan: the rows whose leading key column
 * {@code column} lies in {@code [from, to)}. A null bound is open, so the first range also takes keys below the
 * planned minimum and the last one keys above the planned maximum (rows inserted after the plan are copied too). A
 * copy that is not split has one range with both bounds open. The planner, the slices, the progress rows and the
 * phase's carry-over all use this record.
 *
 * @param number 1-based position in key order
 * @param of     how many ranges the copy has
 * @param column the leading key column the bounds apply to (as the source names it)
 */
public record CopyRange(int number, int of, String column, Long from, Long to) {

    /** The one range of a copy that is not split: every key. */
    public static CopyRange whole(String column) {
        return new CopyRange(1, 1, column, null, null);
    }

    /** {@code range 2/4}, as activity summaries and logs name it. */
    public String label() {
        return "range " + number + "/" + of;
    }

    /**
     * The key of this range's progress row and chunk audit rows. A copy in one range uses the copy's own key, as
     * copies always did, so progress recorded before ranges existed still resumes.
     */
    public String progressKey(String copyKey) {
        return of == 1 ? copyKey : copyKey + "#range-" + number + "-of-" + of;
    }

    /** {@code id in [10, 20)}, or {@code all keys}. */
    @Override
    public String toString() {
        if (from == null && to == null) {
            return "all keys";
        }
        return column + " in [" + (from == null ? "-inf" : from) + ", " + (to == null ? "+inf" : to) + ")";
    }
}
