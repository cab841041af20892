package org.runbooks.preflight;

import java.util.Locale;

/**
 * How many rows a backfill's source holds, as the database could tell without reading them all.
 *
 * @param path   the source field, e.g. {@code phases[0].steps[0].backfill.from}
 * @param stepId the backfill step's id
 * @param source what was counted: {@code legacy.orders}, or {@code query on legacy}
 * @param rows   the number of rows
 * @param exact  true for a {@code count(*)}, false for the planner's estimate
 */
public record RowEstimate(String path, String stepId, String source, long rows, boolean exact) {

    /** {@code 25,000 rows (counted)} or {@code ~1,200,000 rows (planner estimate)}. */
    public String text() {
        return exact
                ? String.format(Locale.ROOT, "%,d rows (counted)", rows)
                : String.format(Locale.ROOT, "~%,d rows (planner estimate)", rows);
    }
}
