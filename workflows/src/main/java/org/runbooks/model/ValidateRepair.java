package org.runbooks.model;

/**
 * A validate step's {@code repair}: when the comparison finds keys that differ, the backfill named here re-copies
 * exactly those keys from its source (rows the source has are upserted, target rows whose key the source lacks are
 * deleted) and the step validates again; only the verdict after the repair decides. The repair reads the source
 * the way the backfill does (its table or query, its column mapping), which is why it needs one.
 *
 * @param backfill the id of the backfill step that copies into the validated target: named in the runbook, or the
 *                 only one that writes that table
 * @param step     that backfill step, filled in once the whole runbook is parsed (null before)
 */
public record ValidateRepair(String backfill, BackfillStep step) {

    /** The repair with its backfill step resolved. */
    public ValidateRepair resolved(BackfillStep resolved) {
        return new ValidateRepair(backfill, resolved);
    }
}
