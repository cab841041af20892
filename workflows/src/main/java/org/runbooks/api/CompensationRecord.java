package org.runbooks.api;

/** One line of the compensation log: which step, what was done, and whether it worked. */
public record CompensationRecord(String stepId, String action, boolean succeeded, String detail) {
}
