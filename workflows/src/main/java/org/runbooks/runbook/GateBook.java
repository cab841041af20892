package org.runbooks.runbook;

import org.runbooks.api.ApprovalKeys;
import org.runbooks.gate.ApprovalStatement;
import org.runbooks.gate.SignedDecision;
import org.runbooks.gate.SshSignature;
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
 * accepted or refused. On a signed gate (marked {@code signed}, or every gate when the worker requires signatures) a
 * decision counts only with a signature by one of that approver's keys over the gate's statement, and the quorum
 * counts distinct keys. Pure state; the workflow supplies the time, its id and the evidence on display.
 */
final class GateBook {

    private String startedBy;
    private String startedByKey;
    private GateStep open;
    private String openPhase;
    private final Set<String> approvedBy = new LinkedHashSet<>();
    private final Set<String> approvedKeys = new LinkedHashSet<>();
    private final List<GateAuditEntry> audit = new ArrayList<>();
    private ApprovalKeys keys = ApprovalKeys.NONE;
    /** How many times a gate opened in this runbook, carried across continue-as-new: each opening signs anew. */
    private int openings;
    private String evidenceDigest = ApprovalStatement.evidenceDigest(List.of());

    /** Who started the runbook, for gates with the two-person rule. */
    void startedBy(String identity) {
        startedBy = identity;
    }

    String startedBy() {
        return startedBy;
    }

    /** The fingerprint of the key that signed the start, or null: the two-person rule then compares keys. */
    void startedByKey(String key) {
        startedByKey = key;
    }

    String startedByKey() {
        return startedByKey;
    }

    /** The approvers' keys as the worker's configuration gave them when the runbook loaded. */
    void keys(ApprovalKeys approvalKeys) {
        keys = approvalKeys == null ? ApprovalKeys.NONE : approvalKeys;
    }

    ApprovalKeys keys() {
        return keys;
    }

    int openings() {
        return openings;
    }

    /**
     * Takes back the audit trail and the count of openings an earlier run of the same runbook kept
     * (continue-as-new); no gate is open then.
     */
    void restore(List<GateAuditEntry> earlier, int earlierOpenings) {
        audit.addAll(earlier);
        openings = earlierOpenings;
    }

    /** Opens {@code gate}; {@code evidence} is the digest of the evidence on display, which its statement names. */
    void open(String phase, GateStep gate, String evidence) {
        open = gate;
        openPhase = phase;
        openings++;
        evidenceDigest = evidence;
        approvedBy.clear();
        approvedKeys.clear();
    }

    /**
     * The evidence on display changed while a gate waits (a re-validation): signed approvals given over the earlier
     * evidence no longer count, and the trail says so.
     */
    void evidenceChanged(String evidence, String at) {
        if (open == null || evidence.equals(evidenceDigest)) {
            return;
        }
        evidenceDigest = evidence;
        if (signed() && !approvedBy.isEmpty()) {
            audit.add(new GateAuditEntry(open.id(), "runbook", "withdraw", "the evidence changed; approvals by "
                    + String.join(", ", approvedBy) + " were over the earlier evidence and no longer count", true,
                    null, at));
            approvedBy.clear();
            approvedKeys.clear();
        }
    }

    void close() {
        open = null;
        openPhase = null;
        approvedBy.clear();
        approvedKeys.clear();
    }

    /** Whether the waiting gate takes signed decisions only. */
    boolean signed() {
        return open != null && (open.signed() || keys.required());
    }

    /** The exact text an approver signs to decide the waiting gate. */
    String statement(String workflowId, boolean approve) {
        return ApprovalStatement.of(workflowId, open.id(), approve, openings, evidenceDigest);
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
    Optional<GateVerdict> decide(GateDecision decision, boolean approve, String at, String workflowId) {
        String verb = approve ? "approve" : "reject";
        Optional<String> refusal = refusal(decision);
        String gate = decision == null ? null : decision.gate();
        String by = decision == null ? null : decision.by();
        String comment = decision == null ? null : decision.comment();
        SignedDecision signature = null;
        String statement = null;
        if (refusal.isEmpty() && signed()) {
            statement = statement(workflowId, approve);
            signature = SignedDecision.check(by, decision.signature(), statement, keys);
            if (!signature.accepted()) {
                refusal = Optional.of(signature.refusal());
            } else if (approvedKeys.contains(signature.key())) {
                refusal = Optional.of("key " + signature.key() + " already approved gate '" + gate + "'; the quorum "
                        + "counts distinct keys");
            }
        }
        boolean counted = refusal.isEmpty() && signature != null;
        audit.add(new GateAuditEntry(gate, by, verb, comment, refusal.isEmpty(), refusal.orElse(null), at,
                counted ? signature.key() : null, counted ? statement : null, counted ? signature.signature() : null));
        if (refusal.isPresent()) {
            return Optional.empty();
        }
        if (signature != null) {
            approvedKeys.add(signature.key());
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
        if (open.twoPersonRule() && signed() && startedByKey != null) {
            return approvedKeys.size() == 1 && approvedKeys.contains(startedByKey);
        }
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
        if (signed()) {
            String approve = statement(workflowId, true);
            String reject = statement(workflowId, false);
            return new GateView(open.id(), openPhase, open.approvers(), open.quorum(), List.copyOf(approvedBy),
                    signedCommand(workflowId, "approveGate", approve), signedCommand(workflowId, "rejectGate", reject),
                    true, approve, reject);
        }
        return new GateView(open.id(), openPhase, open.approvers(), open.quorum(), List.copyOf(approvedBy),
                signalCommand(workflowId, "approve"), signalCommand(workflowId, "reject"));
    }

    /**
     * One command that signs {@code statement} with stock ssh-keygen and sends the update with the signature's base64
     * body on one line; {@code ~/.ssh/id_ed25519} stands for the approver's own key. It holds no {@code <}, {@code >}
     * or {@code &}, which the CLI would print as unicode escapes.
     */
    private String signedCommand(String workflowId, String update, String statement) {
        return "temporal workflow update execute --workflow-id " + workflowId + " --name " + update
                + " --input \"{\\\"gate\\\":\\\"" + open.id() + "\\\",\\\"by\\\":\\\"" + SignalCommand.YOU
                + "\\\",\\\"comment\\\":\\\"" + SignalCommand.WHY + "\\\",\\\"signature\\\":\\\"$(printf '%s' '"
                + statement + "' | ssh-keygen -Y sign -n " + SshSignature.NAMESPACE + " -f ~/.ssh/id_ed25519"
                + " | grep -v -- ----- | tr -d '\\n')\\\"}\"";
    }

    private String signalCommand(String workflowId, String name) {
        return SignalCommand.of(workflowId, name, "\"gate\":\"" + open.id() + "\",\"by\":\"" + SignalCommand.YOU
                + "\",\"comment\":\"" + SignalCommand.WHY + "\"");
    }
}
