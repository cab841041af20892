package org.runbooks.runbook;

import org.runbooks.api.ApprovalKeys;
import org.runbooks.api.ControlEntry;
import org.runbooks.gate.SignedDecision;
import org.runbooks.model.Runbook;

import java.util.List;

/**
 * Whether an operator command may go ahead under the runbook's {@code controls:} block: the principals allowed to
 * send it and, when signatures are in force (the block's {@code signed}, or a worker that requires them), a
 * signature by one of that principal's keys over the command's exact statement. The statement names the workflow,
 * the command, what it acts on and the sequence number of the next signed command, so a signature counts once.
 */
final class ControlAuthority {

    /** The answer: {@code refusal} says why not, else {@code key} is the signing key's fingerprint (null: unsigned). */
    record Verdict(String refusal, String key) {

        boolean allowed() {
            return refusal == null;
        }
    }

    private ControlAuthority() {
    }

    /** Whether signatures are in force for this runbook's controls. */
    static boolean signing(Runbook runbook, ApprovalKeys keys) {
        return runbook != null && (runbook.controls().signed() || keys.required());
    }

    /**
     * The statement a principal signs to send {@code command} on {@code subject} (a step's id, the knob values, or
     * the command's name) as the next signed command of the runbook.
     */
    static String statement(String workflowId, String command, String subject, List<ControlEntry> controls) {
        long seq = controls.stream().filter(c -> c.key() != null).count() + 1;
        return "runbook-control/v1 workflow=" + workflowId + " command=" + command + " subject=" + subject + " seq="
                + seq;
    }

    static Verdict check(Runbook runbook, ApprovalKeys keys, String workflowId, List<ControlEntry> controls,
                         String command, String subject, String by, String signature) {
        if (runbook == null) {
            return new Verdict(null, null);
        }
        boolean signing = signing(runbook, keys);
        List<String> principals = runbook.controls().principals(command, runbook, signing);
        if (principals == null) {
            return new Verdict(null, null);
        }
        if (by == null || !principals.contains(by)) {
            return new Verdict("'" + by + "' may not " + command + " this runbook; its controls allow "
                    + String.join(", ", principals), null);
        }
        if (!signing) {
            return new Verdict(null, null);
        }
        String statement = statement(workflowId, command, subject, controls);
        SignedDecision signed = SignedDecision.check(by, signature, statement, keys,
                "this runbook takes signed " + command + " commands only");
        return signed.accepted() ? new Verdict(null, signed.key()) : new Verdict(signed.refusal(), null);
    }
}
