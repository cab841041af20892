package org.runbooks.api;

/**
 * An operator's answer to a step that failed and paused: {@code action} is {@code retry} (run the step again),
 * {@code skip} (go on without it) or {@code rollback} (undo everything, as the rollback signal does).
 */
public record StepResolution(String step, String action, String by, String reason, String signature) {

    /** An unsigned resolution. */
    public StepResolution(String step, String action, String by, String reason) {
        this(step, action, by, reason, null);
    }


    public static final java.util.List<String> ACTIONS = java.util.List.of("retry", "skip", "rollback");
}
