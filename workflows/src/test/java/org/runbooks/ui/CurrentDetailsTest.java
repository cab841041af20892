package org.runbooks.ui;

import org.junit.jupiter.api.Test;
import org.runbooks.api.BackfillProgress;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.FailureView;
import org.runbooks.api.GateView;
import org.runbooks.api.Knobs;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.ThrottleView;
import org.runbooks.api.ValidationReport;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Markdown the Temporal UI shows as the runbook's Current Details, rendered from a status snapshot. */
class CurrentDetailsTest {

    private static final GateView GATE = new GateView("go-no-go", "gate", List.of("orders-owner", "dba-oncall"), 1,
            List.of(), "temporal workflow signal --workflow-id wf-1 --name approve --input "
            + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'",
            "temporal workflow signal --workflow-id wf-1 --name reject --input "
            + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'");

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static RunbookStatus status(RunbookState state, String phase, String step, int done, long rows,
                                        GateView gate, List<ValidationReport> evidence, Knobs knobs,
                                        List<ControlEntry> controls) {
        return new RunbookStatus("orders-to-v2", state, phase, step, done, 4, rows, gate, List.of(), evidence, null,
                knobs, controls, null, null, null);
    }

    @Test
    void eachStreamHasALineWithItsStateLagAndChanges() {
        RunbookStatus s = status(RunbookState.AWAITING_APPROVAL, "decide", "go", 3, 100, null, List.of(),
                Knobs.initial(), List.of());
        RunbookStatus withStream = new RunbookStatus(s.runbook(), s.state(), s.phase(), s.step(), s.stepsDone(),
                s.stepsTotal(), s.rowsCopied(), s.gate(), s.audit(), s.evidence(), s.reason(), s.knobs(), s.controls(),
                null, null, null, null, List.of(new org.runbooks.api.StreamView("orders-stream", "applying", 0.4,
                        1024, 4096, 12_345, "0/16B3748", null, "2026-12-06T10:00:00Z")));
        String md = CurrentDetails.render("wf-1", withStream);
        assertThat(md).contains("**Stream** orders-stream applying · lag 0.4 s · 1,024 bytes behind"
                + " · 12,345 changes applied");
    }

    @Test
    void runningRunbookShowsPhaseStepAndAStepBarWithRowsCopied() {
        String md = CurrentDetails.render("wf-1", status(RunbookState.RUNNING, "backfill", "copy-orders", 1, 12_345,
                null, List.of(), Knobs.initial(), List.of()));

        assertThat(md).startsWith("**orders-to-v2** · **RUNNING** · phase **backfill** · step **copy-orders**");
        assertThat(md).contains("`[█████░░░░░░░░░░░░░░░] 25%` 1 of 4 steps done");
        assertThat(md).contains("Rows copied: 12,345");
        assertThat(md).doesNotContain("Paused").doesNotContain("Throttled").doesNotContain("temporal workflow");
    }

    @Test
    void statusProgressFromTheBackfillDrawsTheRowBar() {
        RunbookStatus s = status(RunbookState.RUNNING, "backfill", "copy-orders", 0, 0, null, List.of(),
                Knobs.initial(), List.of());
        RunbookStatus withProgress = new RunbookStatus(s.runbook(), s.state(), s.phase(), s.step(), s.stepsDone(),
                s.stepsTotal(), 500_000, null, List.of(), List.of(), null, s.knobs(), List.of(), null,
                new BackfillProgress("copy-orders", 500_000, 1_000_000, 50, 10_000, "2026-11-21T12:00:50Z"), null);

        String md = CurrentDetails.render("wf-1", withProgress);

        assertThat(md).contains("`[██████████░░░░░░░░░░] 50%` 500,000 of 1,000,000 rows");
        assertThat(md).contains("Rate: 10,000 rows/s · ETA: 50s");
    }

    @Test
    void knownProgressDrawsTheBarOverRowsWithRateAndEta() {
        RunbookStatus status = status(RunbookState.RUNNING, "backfill", "copy-orders", 0, 250_000, null, List.of(),
                Knobs.initial(), List.of());

        String md = CurrentDetails.renderWithProgress("wf-1", status, 250_000, 1_000_000L, 12_500.4,
                Duration.ofSeconds(60));

        assertThat(md).contains("`[█████░░░░░░░░░░░░░░░] 25%` 250,000 of 1,000,000 rows");
        assertThat(md).contains("Steps done: 0 of 4 · Rate: 12,500 rows/s · ETA: 1m 00s");
    }

    @Test
    void waitingGateShowsTheEvidenceAndTheExactCommandsThatDecideIt() {
        ValidationReport older = new ValidationReport("parity", 10, 9, "a", "b", false, "count differs", List.of());
        ValidationReport latest = new ValidationReport("parity", 25_000, 25_000, "x", "x", true, "all equal", List.of(
                new CheckResult("row-count", CheckResult.Kind.ROW_COUNT, true, "25000", "25000", "±0", "equal"),
                new CheckResult("checksum", CheckResult.Kind.CHECKSUM, true, SHA, SHA, "equal", "equal"),
                new CheckResult("revenue", CheckResult.Kind.KPI, true, "1234.50", "1234.50", "±1% of source", "ok"),
                new CheckResult("no-orphans", CheckResult.Kind.ASSERTION, false, "3", null, "= 0", "3 orphans")));

        String md = CurrentDetails.render("wf-1", status(RunbookState.AWAITING_APPROVAL, "gate", "go-no-go", 2,
                25_000, GATE, List.of(older, latest), Knobs.initial(), List.of()));

        assertThat(md).contains("### Gate go-no-go waits for 1 of orders-owner, dba-oncall");
        assertThat(md).contains("\n`temporal workflow signal --workflow-id wf-1 --name approve --input "
                + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'`\n");
        assertThat(md).contains("\n`temporal workflow signal --workflow-id wf-1 --name reject --input ");
        assertThat(md).contains("- **parity** passed\n"
                + "  - row-count passed: source 25000, target 25000 (±0)\n"
                + "  - checksum passed: source 9f86d081884c…, target 9f86d081884c… (equal)\n"
                + "  - revenue passed: source 1234.50, target 1234.50 (±1% of source)\n"
                + "  - no-orphans **FAILED**: source 3 (= 0)\n");
        assertThat(md).as("only the latest report of a step").doesNotContain("count differs")
                .containsOnlyOnce("**parity**");
    }

    @Test
    void pausedAndThrottledRunbookSaysWhoAndWhyAndHowToResume() {
        Knobs knobs = Knobs.initial().tune(5_000, 20_000L).pause("carol", "replica lag above 5s");
        List<ControlEntry> controls = List.of(new ControlEntry("tune", "dave", "chunkRows=5000", "t1"),
                new ControlEntry("pause", "carol", "replica lag above 5s", "t2"));

        String md = CurrentDetails.render("wf-1", status(RunbookState.PAUSED, "backfill", "copy-orders", 0, 0, null,
                List.of(), knobs, controls));

        assertThat(md).contains("**Paused** by carol: replica lag above 5s.");
        assertThat(md).contains("temporal workflow signal --workflow-id wf-1 --name resume --input "
                + "'{\"by\":\"YOU\",\"reason\":\"WHY\"}'");
        assertThat(md).contains("**Throttled** to 20,000 rows/s by dave");
        assertThat(md).contains("Chunk size tuned to 5,000 rows by dave");
    }

    @Test
    void failedStepShowsItsReasonAndTheResolveCommands() {
        FailureView failure = FailureView.of("wf-1", "canary", "flip", "lock timeout");
        RunbookStatus status = new RunbookStatus("orders-to-v2", RunbookState.STEP_FAILED, "canary", "flip", 1, 4, 0,
                null, List.of(), List.of(), null, Knobs.initial(), List.of(), failure, null, null);

        String md = CurrentDetails.render("wf-1", status);

        assertThat(md).contains("### Step flip failed and waits\n\nlock timeout");
        assertThat(md).contains(failure.retryCommand()).contains(failure.skipCommand())
                .contains(failure.rollbackCommand());
    }

    @Test
    void rolledBackRunbookSaysWhy() {
        RunbookStatus status = new RunbookStatus("orders-to-v2", RunbookState.ROLLED_BACK, "gate", "go-no-go", 3, 4,
                25_000, null, List.of(), List.of(), "gate go-no-go rejected by orders-owner", Knobs.initial(),
                List.of(), null, null, null);

        assertThat(CurrentDetails.render("wf-1", status)).contains("**Why:** gate go-no-go rejected by orders-owner");
    }

    @Test
    void barAndFiguresStayInRange() {
        assertThat(CurrentDetails.bar(0, 0)).isEqualTo("[░░░░░░░░░░░░░░░░░░░░] 0%");
        assertThat(CurrentDetails.bar(7, 4)).isEqualTo("[████████████████████] 100%");
        assertThat(CurrentDetails.bar(1, 3)).isEqualTo("[██████░░░░░░░░░░░░░░] 33%");
        assertThat(Durations.clock(Duration.ofSeconds(3_725))).isEqualTo("1h 02m");
        assertThat(Durations.clock(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    @Test
    void aRepairedValidationSaysWhatItRepairedUnderItsEvidence() {
        org.runbooks.api.KeyDifferences found = new org.runbooks.api.KeyDifferences(
                List.of(List.of("7")), List.of(List.of("9")), List.of(List.of("3")), false);
        org.runbooks.api.ValidationRepair repair = new org.runbooks.api.ValidationRepair("copy-orders",
                List.of(new org.runbooks.api.RepairRound(1, found,
                        new org.runbooks.api.KeyRepairResult(2, 1, 0))),
                true, "repaired 3 key(s) in 1 round(s); the validation after it passed");
        ValidationReport report = new ValidationReport("parity", 10, 10, "a", "a", true, "checksums agree",
                List.of(), org.runbooks.api.KeyDifferences.NONE, repair);

        String md = CurrentDetails.render("wf-1", status(RunbookState.RUNNING, "validate", "parity", 2, 10, null,
                List.of(report), Knobs.initial(), List.of()));

        assertThat(md).contains("- **parity** passed\n  - rows: source 10, target 10\n  - repaired from copy-orders"
                + " in 1 round(s): 1 missing, 1 extra, 1 changed key(s) found; 2 upserted, 1 deleted (repaired 3 key(s)"
                + " in 1 round(s); the validation after it passed)\n");
    }

    @Test
    void aThrottledCopyShowsTheProbeReadingTheCutChunkAndTheWait() {
        RunbookStatus s = status(RunbookState.RUNNING, "backfill", "copy-orders", 0, 5_000, null, List.of(),
                Knobs.initial(), List.of());
        ThrottleView held = new ThrottleView("copy-orders", "the query on target", 42.0, 10, true, 35_000, 1_250,
                10_000, null);
        ThrottleView healthy = new ThrottleView("copy-orders", "the query on target", 0.5, 10, false, 61_000, 5_000,
                10_000, null);

        String throttled = CurrentDetails.render("wf-1", withThrottle(s, held));
        String recovering = CurrentDetails.render("wf-1", withThrottle(s, healthy));

        assertThat(throttled).contains("**Throttled** by the probe (the query on target): it reads 42 > max 10;"
                + " copy-orders waits, chunk size cut to 1,250 of 10,000 rows, waited 35s so far");
        assertThat(recovering).doesNotContain("**Throttled**").contains("Throttle probe (the query on target) healthy:"
                + " it reads 0.5 <= max 10; copy-orders chunk size 5,000 of 10,000 rows, waited 1m 01s in all");
    }

    private static RunbookStatus withThrottle(RunbookStatus s, ThrottleView throttle) {
        return new RunbookStatus(s.runbook(), s.state(), s.phase(), s.step(), s.stepsDone(), s.stepsTotal(),
                s.rowsCopied(), s.gate(), s.audit(), s.evidence(), s.reason(), s.knobs(), s.controls(), s.failure(),
                s.progress(), throttle);
    }
}
