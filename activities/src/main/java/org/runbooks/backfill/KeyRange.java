package org.runbooks.backfill;

/**
 * One slice of a copy: the rows whose leading key column lies in {@code [from, to)}. A null bound is open, so the
 * first range also takes keys below the planned minimum and the last one keys above the planned maximum (rows
 * inserted after the plan are copied too). A copy in one range has both bounds open.
 *
 * @param number 1-based position in key order
 * @param of     how many ranges the copy has
 * @param column the leading key column the bounds apply to (as the source names it)
 */
public record KeyRange(int number, int of, String column, Long from, Long to) {

    /** The one range of a copy that is not split: every key. */
    static KeyRange whole(String column) {
        return new KeyRange(1, 1, column, null, null);
    }

    /**
     * The key of this range's progress row and chunk audit rows. A copy in one range uses the copy's own key, as
     * copies always did, so progress recorded before ranges existed still resumes.
     */
    String progressKey(String copyKey) {
        return of == 1 ? copyKey : copyKey + "#range-" + number + "-of-" + of;
    }

    @Override
    public String toString() {
        if (from == null && to == null) {
            return "all keys";
        }
        return column + " in [" + (from == null ? "-inf" : from) + ", " + (to == null ? "+inf" : to) + ")";
    }
}
