package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.ApprovalKeys;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.RunbookRequest;
import org.runbooks.gate.SignedDecision;
import org.runbooks.model.GateStep;

/**
 * A start signed by its starter: an OpenSSH signature of the statement naming the workflow, the runbook file and
 * its digest, by a key of {@code startedBy}. It makes the two-person rule provable end to end: a signed gate's rule
 * then compares the starter's key with the approvers' keys, not two typed names. A runbook with a signed two-person
 * gate needs a signed start; a signature that does not check fails the start before any step runs.
 */
final class SignedStart {

    private SignedStart() {
    }

    static String statement(String workflowId, LoadedRunbook loaded) {
        return "runbook-start/v1 workflow=" + workflowId + " file=" + loaded.file() + " sha256=" + loaded.sha256();
    }

    /** The fingerprint of the starter's key, or null for an unsigned start that may go on. */
    static String check(String workflowId, RunbookRequest request, LoadedRunbook loaded) {
        ApprovalKeys keys = loaded.approvals();
        boolean needed = loaded.runbook().phases().stream().flatMap(p -> p.steps().stream())
                .anyMatch(s -> s instanceof GateStep g && g.twoPersonRule() && (g.signed() || keys.required()));
        if (request.startSignature() == null && !needed) {
            return null;
        }
        String statement = statement(workflowId, loaded);
        SignedDecision signed = SignedDecision.check(request.startedBy(), request.startSignature(), statement, keys,
                "this runbook's two-person gates need a signed start");
        if (!signed.accepted()) {
            throw ApplicationFailure.newNonRetryableFailure("the start is refused: " + signed.refusal(),
                    RunbookRequest.INVALID_REQUEST);
        }
        return signed.key();
    }
}
