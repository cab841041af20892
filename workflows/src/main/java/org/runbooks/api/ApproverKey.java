package org.runbooks.api;

/** One line of the worker's allowed-signers file: an approver's name and one of their keys, {@code "<type> <base64>"}. */
public record ApproverKey(String principal, String key) {
}
