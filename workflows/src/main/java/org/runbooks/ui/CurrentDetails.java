package org.runbooks.ui;

import org.runbooks.api.BackfillProgress;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.FailureView;
import org.runbooks.api.GateView;
import org.runbooks.api.Knobs;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.SignalCommand;
import org.runbooks.api.StepTrouble;
import org.runbooks.api.ThrottleView;
import org.runbooks.api.ValidationReport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runbook's Current Details: the Markdown the Temporal UI shows on the workflow page (and
 * {@code temporal workflow metadata} prints), rendered from the same {@link RunbookStatus} the {@code status} query
 * returns, so the UI and the CLI never disagree. It answers what an operator looking at the page asks: where is it,
 * how far, is it held and by whom, and, at a gate, what is the evidence and the exact command that decides it.
 * Pure text work: the workflow hands the result to {@code Workflow.setCurrentDetails}, which issues no command.
 */
public final class CurrentDetails {

    /** Characters in the progress bar: 20, one per 5%. */
    static final int BAR_WIDTH = 20;

    /** Leading characters of a long value (a checksum) shown in the panel: 12. */
    static final int CHECKSUM_SHOWN = 12;

    /**
     * The last line of the details: a no-break space, blank on screen. The Temporal UI sizes the frame it renders
     * the details in from the frame body's scroll height, which leaves out the margins above the first paragraph and
     * below the last (about 30 px), so the last line used to be cut in half; this line takes the cut instead.
     * CommonMark does not count a no-break space as blank, so the line stays a paragraph.
     */
    static final String UI_SPACER = "\u00A0";

    private CurrentDetails() {
    }

    /**
     * The details of a runbook: with the running (or latest) backfill's progress when the status has one, else with
     * the rows copied so far and the steps done.
     */
    public static String render(String workflowId, RunbookStatus status) {
        BackfillProgress p = status.progress();
        if (p == null || p.rowsTotal() <= 0) {
            return renderWithProgress(workflowId, status, status.rowsCopied(), null, null, null);
        }
        Double rate = p.rowsPerSecond() > 0 ? (double) p.rowsPerSecond() : null;
        Duration eta = rate == null ? null
                : Duration.ofSeconds(Math.max(0, p.rowsTotal() - p.rowsDone()) / p.rowsPerSecond());
        return renderWithProgress(workflowId, status, p.rowsDone(), p.rowsTotal(), rate, eta);
    }

    /**
     * The details with the copy's live figures, each null when unknown: the bar then counts rows instead of steps,
     * and the rate and ETA are shown when known. This is where a progress snapshot on {@link RunbookStatus} plugs in.
     *
     * @param rowsDone      rows copied so far
     * @param rowsTotal     rows to copy in all, or null
     * @param rowsPerSecond the recent copy rate, or null
     * @param eta           time left at that rate, or null
     */
    public static String renderWithProgress(String workflowId, RunbookStatus status, long rowsDone, Long rowsTotal,
                                            Double rowsPerSecond, Duration eta) {
        StringBuilder md = new StringBuilder();
        md.append("**").append(orUnknown(status.runbook())).append("** · **").append(status.state()).append("**");
        if (status.phase() != null) {
            md.append(" · phase **").append(status.phase()).append("**");
        }
        if (status.step() != null) {
            md.append(" · step **").append(status.step()).append("**");
        }
        md.append("\n\n");
        progress(md, status, rowsDone, rowsTotal, rowsPerSecond, eta);
        streams(md, status.streams());
        switches(md, status);
        held(md, workflowId, status);
        // A paused runbook can still hold a waiting gate or a failed step: show them whatever the state says.
        gate(md, status.gate());
        failure(md, status.failure());
        trouble(md, status.trouble());
        switch (status.state()) {
            case ROLLING_BACK, ROLLED_BACK, PARTIALLY_ROLLED_BACK, COMPLETED -> ended(md, status);
            case LOADING, RUNNING, PAUSED, AWAITING_APPROVAL, STEP_FAILED -> {
            }
        }
        evidence(md, status.evidence());
        return md.toString().stripTrailing() + "\n\n" + UI_SPACER + "\n";
    }

    /** A text bar over rows when their total is known, over steps otherwise; then the copy's figures. */
    private static void progress(StringBuilder md, RunbookStatus status, long rowsDone, Long rowsTotal,
                                 Double rowsPerSecond, Duration eta) {
        boolean byRows = rowsTotal != null && rowsTotal > 0;
        long done = byRows ? rowsDone : status.stepsDone();
        long total = byRows ? rowsTotal : status.stepsTotal();
        md.append('`').append(bar(done, total)).append("` ");
        md.append(byRows ? count(rowsDone) + " of " + count(rowsTotal) + " rows"
                : status.stepsDone() + " of " + status.stepsTotal() + " steps done");
        md.append("\n\n");
        StringBuilder figures = new StringBuilder();
        if (!byRows) {
            figures.append("Rows copied: ").append(count(rowsDone));
        } else {
            figures.append("Steps done: ").append(status.stepsDone()).append(" of ").append(status.stepsTotal());
        }
        if (rowsPerSecond != null) {
            figures.append(" · Rate: ").append(count(Math.round(rowsPerSecond))).append(" rows/s");
        }
        if (eta != null) {
            figures.append(" · ETA: ").append(Durations.clock(eta));
        }
        md.append(figures).append("\n\n");
    }

    /** {@code [█████░░░░░] 25%}; an unknown total reads as 0%. */
    static String bar(long done, long total) {
        int percent = total <= 0 ? 0 : (int) Math.min(100, Math.max(0, done * 100 / total));
        int filled = percent * BAR_WIDTH / 100;
        return "[" + "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled) + "] " + percent + "%";
    }

    /** Paused (who and why) and throttled (the rate in force and who set it), with the command that undoes it. */
    private static void held(StringBuilder md, String workflowId, RunbookStatus status) {
        Knobs knobs = status.knobs();
        if (knobs == null) {
            return;
        }
        if (knobs.paused()) {
            md.append("**Paused** by ").append(orUnknown(knobs.pausedBy())).append(": ")
                    .append(knobs.pauseReason() == null ? "no reason given" : knobs.pauseReason())
                    .append(". No new chunk, step or phase starts until it is resumed:\n\n")
                    .append(command(SignalCommand.of(workflowId, "resume", "\"by\":\"" + SignalCommand.YOU
                            + "\",\"reason\":\"" + SignalCommand.WHY + "\"")));
        }
        String tunedBy = lastTuneBy(status.controls());
        if (knobs.rowsPerSecond() != null && knobs.rowsPerSecond() > 0) {
            md.append("**Throttled** to ").append(count(knobs.rowsPerSecond())).append(" rows/s by ")
                    .append(orUnknown(tunedBy)).append(" (`tune` with `\"rowsPerSecond\":0` lifts it)\n\n");
        }
        if (knobs.chunkRows() != null) {
            md.append("Chunk size tuned to ").append(count(knobs.chunkRows())).append(" rows by ")
                    .append(orUnknown(tunedBy)).append("\n\n");
        }
        probe(md, status.throttle());
    }

    /**
     * The backfill's throttle probe, when it has held the copy back: throttled now (the reading, the chunk size it
     * cut to, the time waited), or healthy again with the chunk size still growing back.
     */
    private static void probe(StringBuilder md, ThrottleView t) {
        if (t == null || (!t.throttled() && t.throttledMillis() == 0 && t.chunkRows() >= t.configuredChunkRows())) {
            return;
        }
        String reading = t.problem() != null ? t.problem() : "it reads " + number(t.lastValue())
                + (t.throttled() ? " > " : " <= ") + "max " + number(t.max());
        String chunk = count(t.chunkRows()) + " of " + count(t.configuredChunkRows()) + " rows";
        String waited = Durations.clock(Duration.ofMillis(t.throttledMillis()));
        if (t.throttled()) {
            md.append("**Throttled** by the probe (").append(t.probe()).append("): ").append(reading)
                    .append("; ").append(t.step()).append(" waits, chunk size cut to ").append(chunk)
                    .append(", waited ").append(waited).append(" so far\n\n");
        } else {
            md.append("Throttle probe (").append(t.probe()).append(") healthy: ").append(reading).append("; ")
                    .append(t.step()).append(" chunk size ").append(chunk).append(", waited ").append(waited)
                    .append(" in all\n\n");
        }
    }

    /** {@code 42} or {@code 0.5}: a probe's value without a trailing {@code .0}. */
    private static String number(Double value) {
        return value == null ? "nothing" : java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String lastTuneBy(List<ControlEntry> controls) {
        if (controls == null) {
            return null;
        }
        String by = null;
        for (ControlEntry entry : controls) {
            if ("tune".equals(entry.command())) {
                by = entry.by();
            }
        }
        return by;
    }

    private static void gate(StringBuilder md, GateView gate) {
        if (gate == null) {
            return;
        }
        md.append("### Gate ").append(gate.gate()).append(" waits for ").append(gate.quorum()).append(" of ")
                .append(String.join(", ", gate.approvers())).append("\n\n");
        if (!gate.approvedBy().isEmpty()) {
            md.append("Approved so far by ").append(String.join(", ", gate.approvedBy())).append("\n\n");
        }
        if (gate.signed()) {
            md.append("Signed gate: a decision counts only with your key's signature over this statement ")
                    .append("(the commands below sign it with ssh-keygen; use your own key file):\n\n")
                    .append(command(gate.approveStatement()));
        } else {
            md.append("Approvers are self-declared: nothing proves who sent a decision (see README, Signed ")
                    .append("approvals).\n\n");
        }
        md.append("Approve (`by` must be one of the approvers):\n\n").append(command(gate.approveCommand()))
                .append("Reject (rolls back everything done so far, last first):\n\n")
                .append(command(gate.rejectCommand()));
    }

    private static void failure(StringBuilder md, FailureView failure) {
        if (failure == null) {
            return;
        }
        md.append("### Step ").append(failure.step()).append(" failed and waits\n\n").append(failure.reason())
                .append("\n\nRetry, skip or roll back:\n\n")
                .append("- ").append(command(failure.retryCommand()))
                .append("- ").append(command(failure.skipCommand()))
                .append("- ").append(command(failure.rollbackCommand()));
        if (failure.skipStatement() != null) {
            md.append("Skipping takes a signed command by one of ").append(String.join(", ", failure.skipBy()))
                    .append(": add \"signature\" with your key's ssh-keygen -Y sign -n runbook-approval signature of\n\n")
                    .append(command(failure.skipStatement()));
        }
    }

    /** A step whose activity cannot reach what it needs: Temporal retries it; the latest error and since when. */
    /** A line per stream, next to the copy's bar: its state, lag and changes applied, from its latest report. */
    private static void streams(StringBuilder md, java.util.List<org.runbooks.api.StreamView> streams) {
        for (org.runbooks.api.StreamView stream : streams) {
            md.append("**Stream** ").append(stream.line()).append("\n\n");
        }
    }

    /** The latest switch's and switch back's write freeze, with each stage's duration. */
    private static void switches(StringBuilder md, RunbookStatus status) {
        for (org.runbooks.api.WriteFreeze freeze : java.util.Arrays.asList(status.lastSwitch(),
                status.lastSwitchBack())) {
            if (freeze != null) {
                md.append("**Write freeze** ").append(freeze.describe()).append("\n\n");
            }
        }
    }

    private static void trouble(StringBuilder md, StepTrouble trouble) {
        if (trouble == null) {
            return;
        }
        md.append("**Retrying** ").append(trouble.step()).append(": ").append(trouble.activity()).append(" attempt ")
                .append(trouble.attempt()).append(" failed, in trouble since ").append(trouble.since()).append(": ")
                .append(trouble.error()).append("\n\n");
    }

    private static void ended(StringBuilder md, RunbookStatus status) {
        if (status.reason() != null) {
            md.append("**Why:** ").append(status.reason()).append("\n\n");
        }
    }

    /** The latest report of each validate step, with every check's values and threshold. */
    private static void evidence(StringBuilder md, List<ValidationReport> reports) {
        if (reports == null || reports.isEmpty()) {
            return;
        }
        Map<String, ValidationReport> latest = new LinkedHashMap<>();
        for (ValidationReport report : reports) {
            latest.remove(report.stepId());
            latest.put(report.stepId(), report);
        }
        md.append("### Evidence\n\n");
        for (ValidationReport report : latest.values()) {
            md.append("- **").append(report.stepId()).append("** ").append(verdict(report.passed())).append('\n');
            if (report.checks().isEmpty()) {
                md.append("  - rows: source ").append(count(report.sourceRows())).append(", target ")
                        .append(count(report.targetRows())).append('\n');
            }
            for (CheckResult check : report.checks()) {
                md.append("  - ").append(check.name()).append(' ').append(verdict(check.passed())).append(": source ")
                        .append(shorten(orUnknown(check.sourceValue())));
                if (check.targetValue() != null) {
                    md.append(", target ").append(shorten(check.targetValue()));
                }
                if (check.threshold() != null) {
                    md.append(" (").append(check.threshold()).append(')');
                }
                md.append('\n');
            }
            if (report.repair() != null) {
                md.append("  - repaired ").append(report.repair().summary()).append('\n');
            }
        }
        md.append('\n');
    }

    /** Words, not emoji: a browser without an emoji font shows empty boxes. */
    private static String verdict(boolean passed) {
        return passed ? "passed" : "**FAILED**";
    }

    /** A checksum cut to its first 12 characters: enough to compare by eye in a narrow panel. */
    static String shorten(String value) {
        return value.length() <= CHECKSUM_SHOWN + 4 ? value : value.substring(0, CHECKSUM_SHOWN) + "…";
    }

    /**
     * A command as inline code on its own line: unlike a fenced block, it wraps in the UI's narrow Current Details
     * panel, so the whole command stays in sight.
     */
    private static String command(String text) {
        return "`" + text + "`\n\n";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String orUnknown(String value) {
        return value == null ? "unknown" : value;
    }
}
