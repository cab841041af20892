package org.runbooks.backfill;

import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.runbooks.step.PlanLines.oneLine;

/** A backfill in the words of {@code plan}: what it copies, how, and what its rollback removes. */
public final class BackfillPlanLines implements PlanLines<BackfillStep> {

    @Override
    public List<String> does(BackfillStep b, KeyRanges keyRanges) {
        String from = b.query() == null ? b.from().toString()
                : "the rows of a query on " + b.from().connection() + " (" + oneLine(b.query()) + ")";
        String columns = b.columns().isEmpty() ? "every column both sides share"
                : "columns " + b.columns().entrySet().stream().map(e -> e.getKey() + "->" + e.getValue())
                        .collect(Collectors.joining(", "));
        String rate = b.rowsPerSecond() == 0 ? "no rate limit"
                : String.format(Locale.ROOT, "at most %,d rows/s", b.rowsPerSecond());
        int ranges = keyRanges == null ? b.parallelism() : keyRanges.ranges();
        String fewer = keyRanges == null || keyRanges.why() == null ? ""
                : " (parallelism " + b.parallelism() + " asked: " + keyRanges.why() + ")";
        return List.of(String.format(Locale.ROOT, "copy %s into %s (%s) in keyset chunks of %,d rows by %s, %d key"
                        + " range%s at a time%s, %s", from, b.to(), columns, b.chunkRows(), b.key(), ranges,
                ranges == 1 ? "" : "s", fewer, rate));
    }

    @Override
    public String compensation(BackfillStep b) {
        return b.onRollback() == BackfillRollback.KEEP
                ? "keep the copied rows in " + b.to() + " (onRollback: keep)"
                : "delete from " + b.to() + " the copied rows nobody changed since, if it was empty before the"
                + " copy (rows written or changed since are kept and listed); otherwise keep them";
    }
}
