package org.runbooks.model;

/** What rolling back a backfill does with the rows it copied. */
public enum BackfillRollback {
    /**
     * Delete the rows it wrote, but only when the target was empty before the backfill started; otherwise leave
     * them and record why, since rows that were there before are not ours to delete. The default.
     */
    DELETE_COPIED,
    /** Leave the copied rows in place; the compensation log says the runbook asked for that. */
    KEEP
}
