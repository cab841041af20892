package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.Knobs;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookState;
import org.runbooks.api.StepResolution;
import org.runbooks.api.Tune;
import org.runbooks.report.RunbookReporting;
import org.slf4j.Logger;

import java.time.Instant;
import java.util.List;

/**
 * What operators do to a running runbook, each booked in the ledger's controls or the gate book's audit trail:
 * decide a gate, roll back, resolve a failed step, pause, resume, tune. The running phase hears of it through
 * {@link PhaseChild}; the workflow supplies the state changes ({@link Effects}).
 */
final class Operators {

    private static final Logger log = Workflow.getLogger(Operators.class);

    private final Ledger ledger;
    private final PhaseChild child;
    private final RunbookReporting reporting;
    private final Effects runbook;
    /** The operator's rollback request; null until one comes. The runbook stops at the next boundary and undoes. */
    RollbackRequest rollbackRequest;

    Operators(Ledger ledger, PhaseChild child, RunbookReporting reporting, Effects runbook) {
        this.ledger = ledger;
        this.child = child;
        this.reporting = reporting;
        this.runbook = runbook;
    }

    /** Workflow time, as the audit trail and the controls write it. */
    static String now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    }

    /**
     * The update's answer: the accepted entry, or a failure with the refusal, which is already in the audit trail.
     * An ApplicationFailure thrown by an update handler fails that update only; the audit entry stays.
     */
    static GateAuditEntry acceptedOrFail(GateAuditEntry entry) {
        if (!entry.accepted()) {
            throw ApplicationFailure.newNonRetryableFailure(entry.refusal(), "GateDecisionRefused");
        }
        return entry;
    }

    GateAuditEntry decide(GateDecision decision, boolean approve) {
        String at = now();
        ledger.gates.decide(decision, approve, at).ifPresentOrElse(verdict -> {
            log.info("runbook={} phase={} step={} {}", runbook.name(), ledger.phase, ledger.step, verdict.reason());
            reporting.gateDecided(verdict);
            ledger.gates.close();
            child.send(verdict);
            runbook.enter(ledger.activeState());
        }, () -> log.info("runbook={} phase={} gate decision recorded: {}", runbook.name(), ledger.phase, decision));
        List<GateAuditEntry> audit = ledger.gates.audit();
        return audit.get(audit.size() - 1);
    }

    void rollback(RollbackRequest request) {
        if (rollbackRequest == null && !ledger.ended()) {
            rollbackRequest = request == null ? new RollbackRequest("unknown", "no reason given") : request;
            control("rollback", rollbackRequest.by(), rollbackRequest.reason());
            log.warn("runbook={} phase={} rollback requested by {}: {}", runbook.name(), ledger.phase,
                    rollbackRequest.by(), rollbackRequest.reason());
        }
    }

    void resolveFailure(StepResolution resolution) {
        String by = resolution == null ? null : resolution.by();
        String refusal = ledger.resolutionRefusal(resolution);
        if (refusal != null) {
            control("resolveFailure", by, "ignored: " + refusal);
            return;
        }
        control(resolution.action(), by, "step " + resolution.step() + ": " + resolution.reason());
        ledger.failure = null;
        if (resolution.action().equals("rollback")) {
            rollback(new RollbackRequest(by, "step " + resolution.step() + " failed; " + resolution.reason()));
            return;
        }
        child.send(resolution);
        runbook.enter(ledger.activeState());
    }

    void pause(PauseRequest request) {
        if (ledger.knobs.paused() || ledger.ended()) {
            control("pause", request == null ? null : request.by(), "ignored: " + (ledger.knobs.paused()
                    ? "already paused" : "the runbook has ended"));
            return;
        }
        String by = request == null ? "unknown" : request.by();
        String why = request == null ? null : request.reason();
        changeKnobs(ledger.knobs.pause(by, why));
        control("pause", by, why);
        runbook.enter(RunbookState.PAUSED);
    }

    void resume(PauseRequest request) {
        if (!ledger.knobs.paused()) {
            control("resume", request == null ? null : request.by(), "ignored: not paused");
            return;
        }
        changeKnobs(ledger.knobs.resume());
        control("resume", request == null ? null : request.by(), request == null ? null : request.reason());
        runbook.enter(ledger.activeState());
    }

    Knobs tune(Tune tune) {
        changeKnobs(ledger.knobs.tune(tune.chunkRows(), tune.rowsPerSecond(), tune.parallelism()));
        control("tune", tune.by(), "chunkRows=" + ledger.knobs.chunkRows() + " rowsPerSecond="
                + ledger.knobs.rowsPerSecond() + " parallelism=" + ledger.knobs.parallelism());
        runbook.showCurrentDetails();
        return ledger.knobs;
    }

    void validateTune(Tune tune) {
        String refusal = ledger.tuneRefusal(tune);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
    }

    private void changeKnobs(Knobs next) {
        ledger.knobs = next;
        child.knobsChanged();
    }

    private void control(String command, String by, String detail) {
        ledger.control(command, by, detail, now());
        log.info("runbook={} phase={} {} by {}: {}", runbook.name(), ledger.phase, command, by, detail);
    }
}
