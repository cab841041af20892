package org.runbooks.gate;

import org.runbooks.api.ValidationReport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The exact one-line text an approver signs: the workflow, the gate, the decision, which opening of a gate in this
 * runbook it is, and a digest of the evidence on display. A signature over it counts for nothing else: another gate,
 * another workflow, the other decision, a later opening of the same gate, or evidence that changed since.
 */
public final class ApprovalStatement {

    private ApprovalStatement() {
    }

    public static String of(String workflowId, String gate, boolean approve, int opening, String evidenceDigest) {
        return "runbook-approval/v1 workflow=" + workflowId + " gate=" + gate + " decision="
                + (approve ? "approve" : "reject") + " opening=" + opening + " evidence=" + evidenceDigest;
    }

    /**
     * {@code sha256:<hex>} over what each validation showed: its step, verdict, row counts, checksums and detail, one
     * line per report in order. Fields added to reports later are left out on purpose: a digest must not change for
     * evidence that did not.
     */
    public static String evidenceDigest(List<ValidationReport> evidence) {
        StringBuilder text = new StringBuilder();
        for (ValidationReport r : evidence) {
            text.append(r.stepId()).append('|').append(r.passed()).append('|').append(r.sourceRows()).append('|')
                    .append(r.targetRows()).append('|').append(r.sourceChecksum()).append('|')
                    .append(r.targetChecksum()).append('|').append(r.detail()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
