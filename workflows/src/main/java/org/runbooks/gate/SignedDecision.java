package org.runbooks.gate;

import org.runbooks.api.ApprovalKeys;

import java.util.List;

/**
 * The check of one signed decision: the signature is an OpenSSH signature in the approval namespace, by a key the
 * allowed-signers file gives the named approver, over exactly the gate's statement. Either {@code refusal} says why
 * not, or {@code key} is the fingerprint of the key that signed and {@code signature} its compact text.
 */
public record SignedDecision(String key, String signature, String refusal) {

    public static SignedDecision check(String by, String signatureText, String statement, ApprovalKeys keys) {
        return check(by, signatureText, statement, keys, "this gate takes signed decisions only");
    }

    /** As {@link #check(String, String, String, ApprovalKeys)}; {@code unsigned} opens the refusal of no signature. */
    public static SignedDecision check(String by, String signatureText, String statement, ApprovalKeys keys,
                                       String unsigned) {
        if (signatureText == null || signatureText.isBlank()) {
            return refused(unsigned + ": sign the statement '" + statement + "' with ssh-keygen -Y sign -n "
                    + SshSignature.NAMESPACE + " and send it as \"signature\"");
        }
        SshSignature signature;
        try {
            signature = SshSignature.parse(signatureText);
        } catch (IllegalArgumentException e) {
            return refused(e.getMessage());
        }
        if (!signature.namespace().equals(SshSignature.NAMESPACE)) {
            return refused("the signature is for namespace '" + signature.namespace() + "', not '"
                    + SshSignature.NAMESPACE + "' (ssh-keygen -Y sign -n " + SshSignature.NAMESPACE + ")");
        }
        List<SshPublicKey> own = keys.of(by).stream().map(SshPublicKey::parse).toList();
        if (own.isEmpty()) {
            return refused("'" + by + "' has no key in the worker's allowed signers"
                    + (keys.source() == null ? "" : " (" + keys.source() + ")"));
        }
        if (own.stream().noneMatch(k -> k.sameKey(signature.key()))) {
            return refused("the signature is by key " + signature.key().fingerprint() + ", which is not a key of '"
                    + by + "'");
        }
        if (!signature.signs(statement)) {
            return refused("the signature is not over this decision's statement (it signs another gate, workflow, "
                    + "decision, opening or evidence); sign exactly: " + statement);
        }
        return new SignedDecision(signature.key().fingerprint(), signature.compact(), null);
    }

    private static SignedDecision refused(String reason) {
        return new SignedDecision(null, null, reason);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
