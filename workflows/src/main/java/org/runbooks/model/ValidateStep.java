package org.runbooks.model;

import java.util.List;

/**
 * Compares {@code source} with {@code target} and checks the runbook's own numbers. Each check has a threshold and
 * decides pass or fail; one failed check fails the step, which fails the phase.
 * <ul>
 *   <li>row counts within {@code rowCountTolerance} (when {@code source} and {@code target} are given);</li>
 *   <li>with {@code checksum}, a checksum over every column in key order, paired by name or through the mapping of
 *       the backfill that copies source into target ({@link ChecksumColumns}); a column it leaves out fails it,
 *       or with {@code leftOut: warn} is named in its verdict;</li>
 *   <li>{@code kpis}: a number computed on each side, equal within a tolerance;</li>
 *   <li>{@code assertions}: a number computed on one side, equal to what it expects.</li>
 * </ul>
 * With {@code repair} (null: none), keys the checksum finds different are re-copied by a backfill step and the step
 * validates again; see {@link ValidateRepair}. With {@code lagWindow} (null: none), rows updated within it of now are
 * left out of the table comparison on both sides; see {@link LagWindow}. With {@code liveStream} (null: none; filled in
 * by the parser when a stream step before it keeps {@code target} in step with {@code source}), a comparison that
 * finds differences is taken again once the stream has applied everything the source committed before the first one
 * began, and the second decides: differences the stream was about to close are not reported.
 */
public record ValidateStep(String id, TableRef source, TableRef target, List<String> key, long rowCountTolerance,
                           boolean checksum, List<KpiCheck> kpis, List<SqlAssertion> assertions,
                           ValidateRepair repair, LagWindow lagWindow, ChecksumColumns checksumColumns,
                           StreamStep liveStream)
        implements Step {

    public ValidateStep {
        key = key == null ? List.of() : List.copyOf(key);
        kpis = kpis == null ? List.of() : List.copyOf(kpis);
        assertions = assertions == null ? List.of() : List.copyOf(assertions);
        checksumColumns = checksumColumns == null ? ChecksumColumns.BY_NAME : checksumColumns;
    }

    /** A step whose target no stream keeps in step. */
    public ValidateStep(String id, TableRef source, TableRef target, List<String> key, long rowCountTolerance,
                        boolean checksum, List<KpiCheck> kpis, List<SqlAssertion> assertions,
                        ValidateRepair repair, LagWindow lagWindow, ChecksumColumns checksumColumns) {
        this(id, source, target, key, rowCountTolerance, checksum, kpis, assertions, repair, lagWindow,
                checksumColumns, null);
    }

    /** A step whose checksum pairs columns by name and fails on a column it leaves out. */
    public ValidateStep(String id, TableRef source, TableRef target, List<String> key, long rowCountTolerance,
                        boolean checksum, List<KpiCheck> kpis, List<SqlAssertion> assertions,
                        ValidateRepair repair, LagWindow lagWindow) {
        this(id, source, target, key, rowCountTolerance, checksum, kpis, assertions, repair, lagWindow, null);
    }

    /** A step that repairs nothing. */
    public ValidateStep(String id, TableRef source, TableRef target, List<String> key, long rowCountTolerance,
                        boolean checksum, List<KpiCheck> kpis, List<SqlAssertion> assertions) {
        this(id, source, target, key, rowCountTolerance, checksum, kpis, assertions, null, null);
    }

    /** A table comparison with no KPIs and no assertions. */
    public ValidateStep(String id, TableRef source, TableRef target, List<String> key, long rowCountTolerance,
                        boolean checksum) {
        this(id, source, target, key, rowCountTolerance, checksum, List.of(), List.of());
    }

    /** The same step with its repair's backfill step filled in. */
    public ValidateStep withRepair(ValidateRepair resolved) {
        return new ValidateStep(id, source, target, key, rowCountTolerance, checksum, kpis, assertions, resolved,
                lagWindow, checksumColumns, liveStream);
    }

    /** The same step with the columns its checksum compares. */
    public ValidateStep withChecksumColumns(ChecksumColumns columns) {
        return new ValidateStep(id, source, target, key, rowCountTolerance, checksum, kpis, assertions, repair,
                lagWindow, columns, liveStream);
    }

    /** The same step with the stream that keeps its target in step with its source. */
    public ValidateStep withLiveStream(StreamStep stream) {
        return new ValidateStep(id, source, target, key, rowCountTolerance, checksum, kpis, assertions, repair,
                lagWindow, checksumColumns, stream);
    }

    /** True when the step compares two tables (counts, and maybe checksums). */
    public boolean comparesTables() {
        return source != null && target != null;
    }

    @Override
    public StepKind kind() {
        return StepKind.VALIDATE;
    }
}
