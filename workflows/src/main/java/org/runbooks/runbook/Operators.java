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
    private final StreamRelay streams;
    /** The operator's rollback request; null until one comes. The runbook stops at the next boundary and undoes. */
    RollbackRequest rollbackRequest;

    Operators(Ledger ledger, PhaseChild child, RunbookReporting reporting, Effects runbook) {
        this.streams = new StreamRelay(ledger);
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
        ledger.gates.decide(decision, approve, at, Workflow.getInfo().getWorkflowId()).ifPresentOrElse(verdict -> {
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
            RollbackRequest asked = request == null ? new RollbackRequest("unknown", "no reason given") : request;
            ControlAuthority.Verdict verdict = authorize("rollback", "rollback", asked.by(), asked.signature());
            if (!verdict.allowed()) {
                control("rollback", asked.by(), "ignored: " + verdict.refusal());
                return;
            }
            startRollback(asked, verdict.key());
        }
    }

    /** Rolls back at the next step boundary; the command was allowed ({@code key}: the key that signed it). */
    private void startRollback(RollbackRequest request, String key) {
        if (rollbackRequest == null && !ledger.ended()) {
            rollbackRequest = request;
            control("rollback", rollbackRequest.by(), rollbackRequest.reason(), key);
            log.warn("runbook={} phase={} rollback requested by {}: {}", runbook.name(), ledger.phase, rollbackRequest.by(),
                    rollbackRequest.reason());
        }
    }

    void resolveFailure(StepResolution resolution) {
        String by = resolution == null ? null : resolution.by();
        String refusal = ledger.resolutionRefusal(resolution);
        if (refusal != null) {
            control("resolveFailure", by, "ignored: " + refusal);
            return;
        }
        ControlAuthority.Verdict verdict = authorize(resolution.action(), resolution.step(), by,
                resolution.signature());
        if (!verdict.allowed()) {
            control("resolveFailure", by, "ignored: " + verdict.refusal());
            return;
        }
        control(resolution.action(), by, "step " + resolution.step() + ": " + resolution.reason(), verdict.key());
        ledger.failure = null;
        if (resolution.action().equals("rollback")) {
            startRollback(new RollbackRequest(by, "step " + resolution.step() + " failed; " + resolution.reason()),
                    verdict.key());
            return;
        }
        if (ledger.streams.containsKey(resolution.step())) {
            streams.retry(resolution.step(), by);
        } else {
            child.send(resolution);
        }
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
        ControlAuthority.Verdict verdict = authorize("tune", "pause", by, request == null ? null : request.signature());
        if (!verdict.allowed()) {
            control("pause", by, "ignored: " + verdict.refusal());
            return;
        }
        changeKnobs(ledger.knobs.pause(by, why));
        control("pause", by, why, verdict.key());
        runbook.enter(RunbookState.PAUSED);
    }

    void resume(PauseRequest request) {
        if (!ledger.knobs.paused()) {
            control("resume", request == null ? null : request.by(), "ignored: not paused");
            return;
        }
        String by = request == null ? null : request.by();
        ControlAuthority.Verdict verdict = authorize("tune", "resume", by, request == null ? null : request.signature());
        if (!verdict.allowed()) {
            control("resume", by, "ignored: " + verdict.refusal());
            return;
        }
        changeKnobs(ledger.knobs.resume());
        control("resume", by, request == null ? null : request.reason(), verdict.key());
        runbook.enter(ledger.activeState());
    }

    Knobs tune(Tune tune) {
        ControlAuthority.Verdict verdict = authorize("tune", "chunkRows=" + tune.chunkRows() + ",rowsPerSecond="
                + tune.rowsPerSecond() + ",parallelism=" + tune.parallelism(), tune.by(), tune.signature());
        if (!verdict.allowed()) {
            control("tune", tune.by(), "ignored: " + verdict.refusal());
            throw ApplicationFailure.newNonRetryableFailure(verdict.refusal(), "ControlRefused");
        }
        changeKnobs(ledger.knobs.tune(tune.chunkRows(), tune.rowsPerSecond(), tune.parallelism()));
        control("tune", tune.by(), "chunkRows=" + ledger.knobs.chunkRows() + " rowsPerSecond=" + ledger.knobs.rowsPerSecond()
                + " parallelism=" + ledger.knobs.parallelism(), verdict.key());
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
        streams.knobsChanged(next);
    }

    /** Whether the runbook's controls let {@code by} send {@code command} on {@code subject}, signed as it must be. */
    private ControlAuthority.Verdict authorize(String command, String subject, String by, String signature) {
        return ControlAuthority.check(ledger.runbook(), ledger.gates.keys(), Workflow.getInfo().getWorkflowId(),
                ledger.controls, command, subject, by, signature);
    }

    private void control(String command, String by, String detail) {
        control(command, by, detail, null);
    }

    private void control(String command, String by, String detail, String key) {
        ledger.control(command, by, detail, now(), key);
        log.info("runbook={} phase={} {} by {}: {}", runbook.name(), ledger.phase, command, by, detail);
    }
}
