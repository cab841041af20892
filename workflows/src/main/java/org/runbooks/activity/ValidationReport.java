package org.runbooks.activity;

/**
 * The evidence a validation produced. {@code passed} is true when the counts agree within the tolerance and the
 * checksums (when computed) are equal; {@code detail} says what differed, in words an approver can act on.
 */
public record ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                               String targetChecksum, boolean passed, String detail) {
}
