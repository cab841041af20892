package org.runbooks.model;

/**
 * A business number computed on both sides, such as revenue per day or open orders. It passes when
 * {@code |source - target| <= tolerance}, or, with {@code tolerancePercent}, when the difference is at most that
 * percentage of the source value.
 */
public record KpiCheck(String name, SqlQuery source, SqlQuery target, double tolerance, Double tolerancePercent) {
}
