package org.runbooks.runbook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import org.junit.jupiter.api.Test;
import org.runbooks.api.BackfillProgress;
import org.runbooks.api.Compensation;
import org.runbooks.api.GateDecision;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.ReportingCarryOver;
import org.runbooks.api.RunbookCarryOver;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.StepResolution;
import org.runbooks.api.StepTrouble;
import org.runbooks.api.Tune;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as plain state: what the phases tell becomes status, result and carry-over, and a run restored from
 * the carry-over (through its JSON, as continue-as-new passes it) tells the same status.
 */
class LedgerTest {

    private static final String AT = "2026-01-01T00:00:00Z";
    private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    private static final GateStep GATE = new GateStep("go", List.of("ann"), 1, null, GateTimeoutPolicy.ROLLBACK,
            false, null);
    private static final LoadedRunbook LOADED = new LoadedRunbook("runbooks/x.yaml", "sha",
            new Runbook("runbook/v1", "x", null, null, List.of(new Phase("copy", List.of(GATE)))));

    private static ValidationReport report(boolean passed) {
        return new ValidationReport("parity", 10, 10, "a", passed ? "a" : "b", passed, passed ? "ok" : "differ",
                List.of(), null);
    }

    /** A copy completed, a validation passed, a running copy reported progress, and a gate opened. */
    private static Ledger midway() {
        Ledger ledger = new Ledger();
        ledger.phase = "copy";
        ledger.state = RunbookState.RUNNING;
        ledger.record(PhaseEvent.started("copy", "copy", new Compensation.Irreversible("copy")), "orders", "wf", AT);
        ledger.record(PhaseEvent.completed("copy", "copy", 1_000, null), "orders", "wf", AT);
        ledger.record(PhaseEvent.completed("copy", "parity", 0, report(true)), "orders", "wf", AT);
        ledger.record(PhaseEvent.progress("copy", new BackfillProgress("items", 250, 500, 50, 10, null)), "orders",
                "wf", AT);
        ledger.control("tune", "dave", "chunkRows=500", AT, null);
        return ledger;
    }

    @Test
    void statusCountsCompletedStepsAndTheRunningCopysCommittedRows() {
        Ledger ledger = midway();

        RunbookStatus status = ledger.status("x", 3, "wf");

        assertThat(status.stepsDone()).isEqualTo(2);
        assertThat(status.rowsCopied()).as("1,000 copied + 250 of the running copy").isEqualTo(1_250);
        assertThat(status.evidence()).extracting(ValidationReport::stepId).containsExactly("parity");
        assertThat(status.progress().rowsDone()).isEqualTo(250);
        assertThat(ledger.lastValidationPassed()).isTrue();
        assertThat(ledger.saga.pending()).hasSize(1);
    }

    @Test
    void aGateOpeningAFailureAndTroubleChangeTheActiveState() {
        Ledger ledger = midway();

        assertThat(ledger.record(PhaseEvent.gateOpened("copy", GATE), null, "wf", AT)).isTrue();
        assertThat(ledger.activeState()).isEqualTo(RunbookState.AWAITING_APPROVAL);
        ledger.gates.close();
        ledger.record(PhaseEvent.trouble(new StepTrouble("copy", "items", "CopySlice", 3, "refused", AT)), null, "wf",
                AT);
        assertThat(ledger.status("x", 3, "wf").trouble()).isNotNull();
        assertThat(ledger.record(PhaseEvent.failed("copy", "items", "lock timeout"), null, "wf", AT)).isTrue();
        assertThat(ledger.status("x", 3, "wf").trouble()).as("any other event ends the trouble").isNull();
        assertThat(ledger.activeState()).isEqualTo(RunbookState.STEP_FAILED);
        assertThat(ledger.failure.retryCommand()).contains("--workflow-id wf").contains("\"step\":\"items\"");
        assertThat(ledger.resolutionRefusal(new StepResolution("copy", "retry", "carol", "why")))
                .isEqualTo("step 'copy' is not waiting; the failed step is 'items'");
        assertThat(ledger.resolutionRefusal(new StepResolution("items", "retry", "carol", "why"))).isNull();
    }

    @Test
    void aRunRestoredFromTheCarryOverJsonTellsTheSameStatus() throws Exception {
        Ledger ledger = midway();
        ledger.record(PhaseEvent.gateOpened("copy", GATE), null, "wf", AT);
        ledger.gates.decide(new GateDecision("go", "ann", "ok"), true, AT, "wf");
        ledger.gates.close();
        ledger.copyingRows = 0;
        RunbookCarryOver carried = ledger.carryOver(1, LOADED, "wf/run-1", new ReportingCarryOver(0, null, null));

        RunbookCarryOver read = JSON.readValue(JSON.writeValueAsString(carried), RunbookCarryOver.class);
        Ledger next = new Ledger();
        next.restore(read);
        next.state = read.state();

        assertThat(read).isEqualTo(carried);
        assertThat(next.status("x", 3, "wf")).isEqualTo(ledger.status("x", 3, "wf"));
        assertThat(next.saga.pending()).isEqualTo(ledger.saga.pending());
        assertThat(next.result("x", LOADED)).isEqualTo(ledger.result("x", LOADED));
    }

    @Test
    void aTuneIsRefusedWithNothingToChangeOutOfBoundsOrOnceTheRunbookEnded() {
        Ledger ledger = midway();

        assertThat(ledger.tuneRefusal(new Tune("dave", null, null, null))).startsWith("give chunkRows");
        assertThat(ledger.tuneRefusal(new Tune("dave", 0, null, null))).isEqualTo("chunkRows must be 1 to 1000000, not 0");
        assertThat(ledger.tuneRefusal(new Tune("dave", 500, null, null))).isNull();
        ledger.state = RunbookState.COMPLETED;
        assertThat(ledger.tuneRefusal(new Tune("dave", 500, null, null)))
                .isEqualTo("the runbook is COMPLETED; there is nothing left to tune");
    }

    @Test
    void aStreamSwitchedAwayShowsStoppedWithoutItsLastLagWhileALiveOneKeepsIt() {
        Ledger ledger = new Ledger();
        ledger.record(new PhaseEvent.StreamReport("sync", "orders-stream", new org.runbooks.api.StreamView(
                "orders-stream", "applying", 0.3, 3_368, 99_832, 492, "0/2318718", null, AT)), null, "wf", AT);
        assertThat(ledger.status("rb", 3, "wf").streams().get(0).lagSeconds()).isEqualTo(0.3);
        ledger.record(new PhaseEvent.StreamReport("sync", "orders-stream", new org.runbooks.api.StreamView(
                "orders-stream", "stopped", 0.3, 3_368, 99_832, 492, "0/2318718", "switched by the cutover", AT)),
                null, "wf", AT);
        org.runbooks.api.StreamView switched = ledger.status("rb", 3, "wf").streams().get(0);
        assertThat(switched.state()).isEqualTo("stopped");
        assertThat(switched.detail()).isEqualTo("switched by the cutover");
        assertThat(List.of(switched.lagSeconds(), (double) switched.bytesBehind(), (double) switched.retainedBytes()))
                .as("no lag reading shown as if live").containsOnly(-1.0);
        assertThat(switched.changesApplied()).isEqualTo(492);
        assertThat(switched.line()).isEqualTo("orders-stream stopped · 492 changes applied · switched by the cutover");
    }
}
