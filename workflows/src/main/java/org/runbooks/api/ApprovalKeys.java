package org.runbooks.api;

import java.util.List;

/**
 * The approvers' public keys as the worker's configuration named them when the runbook loaded, kept in history so
 * that every signed decision can be checked again, by anyone, from the history alone.
 *
 * @param required whether the worker requires a signature on every gate, not only on gates marked {@code signed}
 * @param source   the allowed-signers file the keys came from, for messages; null when none is configured
 * @param keys     every approver key, in file order
 */
public record ApprovalKeys(boolean required, String source, List<ApproverKey> keys) {

    /** No keys configured: approvers are self-declared, as before signatures existed. */
    public static final ApprovalKeys NONE = new ApprovalKeys(false, null, List.of());

    public ApprovalKeys {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** The keys of {@code principal}, each {@code "<type> <base64>"}. */
    public List<String> of(String principal) {
        return keys.stream().filter(k -> k.principal().equals(principal)).map(ApproverKey::key).toList();
    }

    /** Whether any key is configured. */
    public boolean configured() {
        return !keys.isEmpty();
    }
}
