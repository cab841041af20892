package org.runbooks.validate;

import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.ValidateStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.runbooks.step.PlanLines.oneLine;

/** A validation in the words of {@code plan}: a line per comparison, KPI and assertion; it only reads. */
public final class ValidatePlanLines implements PlanLines<ValidateStep> {

    @Override
    public List<String> does(ValidateStep v, KeyRanges keyRanges) {
        List<String> lines = new ArrayList<>();
        if (v.comparesTables()) {
            lines.add("compare " + v.source() + " with " + v.target() + " by " + v.key() + ": row counts (tolerance "
                    + v.rowCountTolerance() + ")" + (v.checksum() ? ", " + checksum(v.checksumColumns()) : ""));
        }
        for (KpiCheck kpi : v.kpis()) {
            String tolerance = kpi.tolerancePercent() != null ? kpi.tolerancePercent() + "%" : number(kpi.tolerance());
            lines.add("kpi " + kpi.name() + ": " + kpi.source().connection() + " (" + oneLine(kpi.source().sql())
                    + ") vs " + kpi.target().connection() + " (" + oneLine(kpi.target().sql()) + "), tolerance "
                    + tolerance);
        }
        for (SqlAssertion assertion : v.assertions()) {
            lines.add("assert " + assertion.name() + " on " + assertion.connection() + ": " + oneLine(assertion.sql())
                    + " = " + assertion.expect());
        }
        return lines;
    }

    @Override
    public String compensation(ValidateStep v) {
        return "none (reads only)";
    }

    /** {@code checksum of every column, paired by name; a column on one side only fails it}, or through a mapping. */
    private static String checksum(ChecksumColumns columns) {
        String paired = columns.mapping().isEmpty() ? "paired by name"
                : "paired through the backfill's columns " + columns.mapping().entrySet().stream()
                        .map(e -> e.getKey() + "->" + e.getValue()).collect(Collectors.joining(", "));
        return "checksum of every column, " + paired + (columns.leftOut() == LeftOutColumns.FAIL
                ? "; a column left out fails it" : "; a column left out is named (leftOut: warn)");
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
