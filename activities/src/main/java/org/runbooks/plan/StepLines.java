package org.runbooks.plan;

import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.NotifyStep;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;
import org.runbooks.model.StreamStep;
import org.runbooks.model.CatchUpStep;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.ValidateStep;
import org.runbooks.model.WaitStep;
import org.runbooks.preflight.KeyRangePlan;
import org.runbooks.ui.Durations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What one step does and what undoes it, in the words of a plan. */
final class StepLines {

    private StepLines() {
    }

    static String kind(Step step) {
        return step.kind().text();
    }

    /**
     * One or more lines saying what the step does, each without indentation; {@code keyRanges} is how many key
     * ranges pre-flight found a backfill can copy at once (null: not known, its parallelism is shown).
     */
    static List<String> does(Step step, KeyRangePlan keyRanges) {
        return switch (step) {
            case BackfillStep b -> List.of(backfill(b, keyRanges));
            case ValidateStep v -> validate(v);
            case FlagStep f -> List.of("set flag " + f.name() + " on " + f.connection() + " to " + f.percent() + "%");
            case SqlStep s -> List.of("run on " + s.connection() + ": " + oneLine(s.apply()));
            case GateStep g -> List.of("wait for a go/no-go decision",
                    "approvers: " + String.join(", ", g.approvers()) + "; quorum: " + g.quorum()
                            + "; one rejection rejects",
                    g.timeout() == null ? "timeout: none (waits until decided)"
                            : "timeout: " + Durations.compact(g.timeout()) + "; on timeout: "
                            + (g.onTimeout() == GateTimeoutPolicy.ROLLBACK ? "roll back" : "keep waiting"));
            case WaitStep w -> List.of(w.revalidate() == null
                    ? "wait " + Durations.compact(w.duration())
                    : "wait " + Durations.compact(w.duration()) + ", re-running validate " + w.revalidate() + " every "
                            + Durations.compact(w.every()) + " and at the end; a failed check fails the phase");
            case NotifyStep n -> List.of("post to webhook " + n.webhook() + ": " + oneLine(n.message()));
            case StreamStep st -> List.of("fix a start position on " + st.from().connection() + " (a replication slot"
                            + " and publication on PostgreSQL, the binlog position on MariaDB), then keep " + st.to()
                            + " in step with " + st.from() + " by " + st.key() + " until the runbook ends",
                    st.awaitsCopies().isEmpty() ? "applies at once"
                            : "holds its changes until backfill " + String.join(", ", st.awaitsCopies())
                            + " completed, then applies everything since its start");
            case CatchUpStep c -> List.of("wait until stream " + c.stream() + " is less than "
                    + Durations.compact(c.maxLag()) + " behind its source, for at most " + Durations.compact(c.within())
                    + "; the step fails with the measured lag otherwise");
            case CutoverStep c -> List.of("switch from " + c.resolved().from() + " to " + c.resolved().to()
                            + ": pre-check stream " + c.stream() + " under " + Durations.compact(c.maxLag())
                            + " behind, freeze writes to " + String.join(", ", c.freeze()) + " on "
                            + c.resolved().from().connection() + ", let the stream catch up within "
                            + Durations.compact(c.catchUp()) + " (else lift the freeze and fail, nothing switched)",
                    "then set " + c.resolved().to() + "'s sequences past the source's (margin " + c.sequenceMargin()
                            + "), " + (c.reverse() ? "start the reverse stream " + c.resolved().to() + " -> "
                            + c.resolved().from() + ", " : "") + "flip " + c.flags().stream()
                            .map(f -> f.name() + " on " + f.connection() + " to " + f.percent() + "%")
                            .collect(Collectors.joining(", ")) + ", lift the freeze");
        };
    }

    /** What its compensation does: an action, {@code none (...)} or {@code irreversible (...)}. */
    static String compensation(Step step) {
        return switch (step) {
            case BackfillStep b -> b.onRollback() == BackfillRollback.KEEP
                    ? "keep the copied rows in " + b.to() + " (onRollback: keep)"
                    : "delete from " + b.to() + " the copied rows nobody changed since, if it was empty before the"
                    + " copy (rows written or changed since are kept and listed); otherwise keep them";
            case ValidateStep ignored -> "none (reads only)";
            case FlagStep f -> "restore flag " + f.name() + " on " + f.connection()
                    + " to its previous value (remove it if it did not exist)";
            case SqlStep s -> s.irreversible()
                    ? "irreversible (no revert: a rollback cannot undo it)"
                    : "run on " + s.connection() + ": " + oneLine(s.revert());
            case GateStep ignored -> "none (a decision)";
            case WaitStep ignored -> "none (a wait changes nothing)";
            case NotifyStep ignored -> "none (a notification changes no data)";
            case StreamStep st -> "stop the stream and drop the replication slot and publication it created on "
                    + st.from().connection() + " (first, before any other compensation); no row is touched";
            case CatchUpStep ignored -> "none (reads the stream's lag only)";
            case CutoverStep c -> c.reverse()
                    ? "before the switch: lift the freeze; after it: switch back (freeze " + c.resolved().to()
                    + ", let the reverse stream catch up, restore the flags, lift the freeze), and no backfill "
                    + "deletes a target row after it"
                    : "restore the flags; without a reverse stream the writes made on the target stay there";
        };
    }

    private static String backfill(BackfillStep b, KeyRangePlan keyRanges) {
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
        return String.format(Locale.ROOT, "copy %s into %s (%s) in keyset chunks of %,d rows by %s, %d key range%s"
                        + " at a time%s, %s", from, b.to(), columns, b.chunkRows(), b.key(), ranges,
                ranges == 1 ? "" : "s", fewer, rate);
    }

    private static List<String> validate(ValidateStep v) {
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

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
