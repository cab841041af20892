package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One check of a validation and its verdict, kept as evidence for approvers and the final report. Values are text so
 * that a count, an exact decimal and a checksum read the same in the Temporal UI as in the database.
 *
 * @param name        what the runbook calls the check: {@code row-count} and {@code checksum} for a table comparison,
 *                    the KPI's or assertion's own name otherwise
 * @param sourceValue the source side's value; for an assertion, the value its query returned; null when the query
 *                    gave no number
 * @param targetValue the target side's value; null for an assertion, or when the query gave no number
 * @param threshold   what counts as a pass, in words: {@code ±5}, {@code ±2% of source}, {@code equal}, {@code = 0}
 * @param detail      the verdict in a sentence an approver can act on
 */
public record CheckResult(String name, Kind kind, boolean passed, String sourceValue, String targetValue,
                          String threshold, String detail) {

    /** What a check compares; the JSON names are what workflow histories and reports show. */
    public enum Kind {
        /** Row counts of the two tables, within a tolerance. */
        @JsonProperty("row-count") ROW_COUNT,
        /** A digest of every compared column of every row, in key order; equal or not. */
        @JsonProperty("checksum") CHECKSUM,
        /** A business number computed on both sides, within an absolute or a percentage tolerance. */
        @JsonProperty("kpi") KPI,
        /** A number computed on one side that must equal what the runbook expects. */
        @JsonProperty("assertion") ASSERTION
    }
}
