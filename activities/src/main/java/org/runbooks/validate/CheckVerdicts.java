package org.runbooks.validate;

import org.runbooks.api.CheckResult;
import org.runbooks.api.CheckResult.Kind;
import org.runbooks.jdbc.SingleNumber;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.ValidateStep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides each check and words its verdict for an approver: what was found on each side, what was allowed, and, for
 * a query that gave no number, what it gave instead. Numbers are compared as exact decimals, so a sum of money is
 * not judged through floating point.
 */
final class CheckVerdicts {

    /** Significant digits of a difference shown as a percentage of the source: 4. */
    private static final MathContext PERCENT_DIGITS = new MathContext(4);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final String NOTHING_COMPARED = "no row was compared: the lag window left out every row of both"
            + " tables; validate when writes are quieter, or with a shorter window";

    private CheckVerdicts() {
    }

    static CheckResult rowCount(ValidateStep step, TableComparison tables) {
        if (comparedNothing(tables)) {
            return new CheckResult("row-count", Kind.ROW_COUNT, false, "0", "0", "±" + step.rowCountTolerance(),
                    NOTHING_COMPARED + leftOut(tables));
        }
        boolean passed = Math.abs(tables.sourceRows() - tables.targetRows()) <= step.rowCountTolerance();
        String detail = (passed ? "row counts agree" : "row counts differ") + " (source " + tables.sourceRows()
                + ", target " + tables.targetRows() + ", tolerance " + step.rowCountTolerance() + ")"
                + leftOut(tables);
        return new CheckResult("row-count", Kind.ROW_COUNT, passed, Long.toString(tables.sourceRows()),
                Long.toString(tables.targetRows()), "±" + step.rowCountTolerance(), detail);
    }

    /**
     * Passes when the checksums are equal and no column was left out, or, with {@code leftOut: warn}, when the
     * checksums are equal; the verdict names the compared columns and the ones left out.
     */
    static CheckResult checksum(ValidateStep step, TableComparison tables) {
        if (comparedNothing(tables)) {
            return new CheckResult("checksum", Kind.CHECKSUM, false, tables.sourceChecksum(),
                    tables.targetChecksum(), "equal", NOTHING_COMPARED + leftOut(tables));
        }
        boolean equal = tables.sourceChecksum().equals(tables.targetChecksum());
        ComparedColumns columns = tables.columns();
        boolean leftOutFails = columns.leavesOut() && step.checksumColumns().leftOut() == LeftOutColumns.FAIL;
        boolean passed = equal && !leftOutFails;
        String detail = equal ? "checksums equal"
                : tables.differences().isEmpty()
                ? "checksums differ (at least one row differs in a compared column)"
                : "checksums differ: " + KeyWords.differences(step.key(), tables.differences());
        detail += compared(columns, leftOutFails) + nullKeys(tables) + leftOut(tables);
        return new CheckResult("checksum", Kind.CHECKSUM, passed, tables.sourceChecksum(), tables.targetChecksum(),
                "equal", detail);
    }

    /**
     * Whether the lag window left out every row the tables hold: two empty sides agree, but a check that compared
     * nothing has shown nothing, and must not pass.
     */
    private static boolean comparedNothing(TableComparison tables) {
        return tables.inFlight().leftOutEveryRow(tables.sourceRows(), tables.targetRows());
    }

    /**
     * {@code ; compared id, balance->balance_cents; columns left out, never compared: target [migrated_at] (...)}:
     * the compared columns when a backfill renamed one or some were left out, and those left out; nothing when every
     * column was compared under its own name.
     */
    private static String compared(ComparedColumns columns, boolean fails) {
        boolean renamed = !columns.source().equals(columns.target());
        if (!renamed && !columns.leavesOut()) {
            return "";
        }
        String compared = "; compared " + String.join(", ", columns.described());
        if (!columns.leavesOut()) {
            return compared;
        }
        List<String> sides = new ArrayList<>();
        if (!columns.sourceOnly().isEmpty()) {
            sides.add("source " + columns.sourceOnly());
        }
        if (!columns.targetOnly().isEmpty()) {
            sides.add("target " + columns.targetOnly());
        }
        return compared + "; columns left out, never compared: " + String.join(", ", sides) + (fails
                ? " (fails the checksum: map them in the backfill's columns, or accept them with"
                        + " checksum: {leftOut: warn})"
                : " (leftOut: warn)");
    }

    /** {@code ; rows with a NULL key: 2 on the source, 0 on the target}, or nothing when there are none. */
    private static String nullKeys(TableComparison tables) {
        return tables.sourceNullKeys() + tables.targetNullKeys() == 0 ? ""
                : "; rows with a NULL key, which no key names and a backfill does not copy: "
                        + tables.sourceNullKeys() + " on the source, " + tables.targetNullKeys() + " on the target";
    }

    /** {@code ; rows with updated_at after ... (in flight) left out}, or nothing without a lag window. */
    private static String leftOut(TableComparison tables) {
        String leftOut = tables.inFlight().describe();
        return leftOut.isEmpty() ? "" : "; " + leftOut;
    }

    /**
     * Passes when {@code |source - target| <= tolerance}, or with a percentage, when the difference is at most that
     * share of {@code |source|}; a source of 0 then allows no difference at all.
     */
    static CheckResult kpi(KpiCheck kpi, SingleNumber source, SingleNumber target) {
        boolean percent = kpi.tolerancePercent() != null;
        String threshold = percent ? "±" + plain(BigDecimal.valueOf(kpi.tolerancePercent())) + "% of source"
                : "±" + plain(BigDecimal.valueOf(kpi.tolerance()));
        String subject = "KPI " + kpi.name();
        if (!source.isNumber() || !target.isNumber()) {
            List<String> problems = new ArrayList<>();
            if (!source.isNumber()) {
                problems.add("the source query on " + kpi.source().connection() + " " + source.problem());
            }
            if (!target.isNumber()) {
                problems.add("the target query on " + kpi.target().connection() + " " + target.problem());
            }
            return new CheckResult(kpi.name(), Kind.KPI, false, source.text(), target.text(), threshold,
                    subject + " could not be compared: " + String.join("; ", problems));
        }
        BigDecimal difference = source.value().subtract(target.value()).abs();
        BigDecimal allowed = percent
                ? source.value().abs().multiply(BigDecimal.valueOf(kpi.tolerancePercent())).divide(HUNDRED)
                : BigDecimal.valueOf(kpi.tolerance());
        boolean passed = difference.compareTo(allowed) <= 0;
        String sides = "(source " + source.text() + ", target " + target.text() + ")";
        String detail = passed
                ? subject + " agrees " + sides + ", within " + threshold
                : subject + " differs by " + plain(difference) + share(difference, source.value()) + " " + sides
                        + ", more than " + threshold;
        return new CheckResult(kpi.name(), Kind.KPI, passed, source.text(), target.text(), threshold, detail);
    }

    static CheckResult assertion(SqlAssertion assertion, SingleNumber found) {
        String threshold = "= " + assertion.expect();
        String subject = "assertion " + assertion.name();
        if (!found.isNumber()) {
            return new CheckResult(assertion.name(), Kind.ASSERTION, false, null, null, threshold,
                    subject + " could not be checked: its query on " + assertion.connection() + " " + found.problem());
        }
        boolean passed = found.value().compareTo(BigDecimal.valueOf(assertion.expect())) == 0;
        String detail = subject + (passed ? " holds" : " fails") + ": found " + found.text() + " on "
                + assertion.connection() + ", expected " + assertion.expect();
        return new CheckResult(assertion.name(), Kind.ASSERTION, passed, found.text(), null, threshold, detail);
    }

    /** The difference as a share of the source, when the source is not zero. */
    private static String share(BigDecimal difference, BigDecimal source) {
        if (source.signum() == 0) {
            return ", while the source is 0";
        }
        return ", " + plain(difference.multiply(HUNDRED).divide(source.abs(), PERCENT_DIGITS)) + "% of the source";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
