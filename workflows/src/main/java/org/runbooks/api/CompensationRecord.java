package org.runbooks.api;

/**
 * One line of the compensation log: which step, what was done, and whether it worked; {@code freeze} is the write
 * freeze of a switch back (null for every other compensation, and in records made before it existed).
 */
public record CompensationRecord(String stepId, String action, boolean succeeded, String detail, WriteFreeze freeze) {

    public CompensationRecord(String stepId, String action, boolean succeeded, String detail) {
        this(stepId, action, succeeded, detail, null);
    }
}
