package org.runbooks.runbook;

import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.GateView;
import org.runbooks.api.SignalCommand;
import org.runbooks.model.GateStep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The runbook's gates: which one waits, who approved it so far, and the audit trail of every attempt to decide,
 * accepted or refused. Pure state; the workflow supplies the time.
 */
final class GateBook {

    private String startedBy;
    private GateStep open;
    private String openPhase;
    private final Set<String> approvedBy = new LinkedHashSet<>();
    private final List<GateAuditEntry> audit = new ArrayList<>();

    /** Who started the runbook, for gates with the two-person rule. */
    void startedBy(String identity) {
        startedBy = identity;
    }

    String startedBy() {
        return startedBy;
    }

    /** Takes back the audit trail an earlier run of the same runbook kept (continue-as-new); no gate is open then. */
    void restore(List<GateAuditEntry> earlier) {
        audit.addAll(earlier);
    }

    void open(String phase, GateStep gate) {
        open = gate;
        openPhase = phase;
        approvedBy.clear();
    }

    void close() {
        open = null;
        openPhase = null;
        approvedBy.clear();
    }

    boolean isWaiting() {
        return open != null;
    }

    List<GateAuditEntry> audit() {
        return List.copyOf(audit);
    }

    /** Why this decision cannot be taken now, or empty when it can. */
    Optional<String> refusal(GateDecision decision) {
        Optional<String> malformed = malformed(decision);
        if (malformed.isPresent()) {
            return malformed;
        }
        if (open == null) {
            return Optional.of("no gate is waiting");
        }
        if (!open.id().equals(decision.gate())) {
            return Optional.of("gate '" + decision.gate() + "' is not waiting; the waiting gate is '" + open.id() + "'");
        }
        if (!open.approvers().contains(decision.by())) {
            return Optional.of("'" + decision.by() + "' is not an approver of gate '" + open.id() + "' (approvers: "
                    + String.join(", ", open.approvers()) + ")");
        }
        if (approvedBy.contains(decision.by())) {
            return Optional.of("'" + decision.by() + "' already approved gate '" + open.id() + "'");
        }
        return Optional.empty();
    }

    /**
     * Why this decision cannot be read at all (no gate or no one named), whatever the state; empty when it can. An
     * update's validator refuses only this, so every readable attempt reaches the handler and the audit trail.
     */
    static Optional<String> malformed(GateDecision decision) {
        if (decision == null || decision.gate() == null || decision.by() == null || decision.by().isBlank()) {
            return Optional.of("a decision names the gate and who decides: {\"gate\": ..., \"by\": ..., \"comment\": ...}");
        }
        return Optional.empty();
    }

    /**
     * Records the decision in the audit trail and returns the verdict once the gate is decided: at the first
     * rejection, or when the quorum of distinct approvers is reached. A refused decision changes nothing but the
     * audit trail.
     */
    Optional<GateVerdict> decide(GateDecision decision, boolean approve, String at) {
        String verb = approve ? "approve" : "reject";
        Optional<String> refusal = refusal(decision);
        String gate = decision == null ? null : decision.gate();
        String by = decision == null ? null : decision.by();
        String comment = decision == null ? null : decision.comment();
        audit.add(new GateAuditEntry(gate, by, verb, comment, refusal.isEmpty(), refusal.orElse(null), at));
        if (refusal.isPresent()) {
            return Optional.empty();
        }
        if (!approve) {
            String reason = "gate " + gate + " rejected by " + by + (comment == null ? "" : ": " + comment);
            return Optional.of(new GateVerdict(gate, false, reason));
        }
        approvedBy.add(by);
        if (approvedBy.size() >= open.quorum() && !onlyTheStarterApproved()) {
            return Optional.of(new GateVerdict(gate, true, "gate " + gate + " approved by " + String.join(", ", approvedBy)));
        }
        return Optional.empty();
    }

    /** Under the two-person rule, the quorum does not count while the runbook's starter is the only approver. */
    private boolean onlyTheStarterApproved() {
        return open.twoPersonRule() && approvedBy.size() == 1 && approvedBy.contains(startedBy);
    }

    /** Records a gate that decided itself when its timeout ran out. */
    void timedOut(String gate, boolean proceed, String reason, String at) {
        audit.add(new GateAuditEntry(gate, "timeout", proceed ? "approve" : "reject", reason, true, null, at));
    }

    GateView view(String workflowId) {
        if (open == null) {
            return null;
        }
        return new GateView(open.id(), openPhase, open.approvers(), open.quorum(), List.copyOf(approvedBy),
                signalCommand(workflowId, "approve"), signalCommand(workflowId, "reject"));
    }

    private String signalCommand(String workflowId, String name) {
        return SignalCommand.of(workflowId, name, "\"gate\":\"" + open.id() + "\",\"by\":\"" + SignalCommand.YOU
                + "\",\"comment\":\"" + SignalCommand.WHY + "\"");
    }
}
