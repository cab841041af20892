package org.runbooks.model;

/** What a column that a checksum leaves out (on one side only, or not in the backfill's mapping) does. */
public enum LeftOutColumns {
    /**
     * The checksum fails and names the column: its values were never compared, so the copy is not shown equal. The
     * default. An operator maps the column in the backfill's {@code columns}, or, when it is meant to differ (a
     * column only the new table has), says so with {@code checksum: {leftOut: warn}}.
     */
    FAIL,
    /** The checksum decides on the columns it compared and names the ones it left out in its verdict. */
    WARN
}
