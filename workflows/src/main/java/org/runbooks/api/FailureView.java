package org.runbooks.api;

/**
 * A step that failed and waits for an operator, with the exact commands that retry it, skip it or roll back. When
 * the runbook's controls restrict skipping to signed commands, {@code skipStatement} is the text to sign and
 * {@code skipBy} who may; both are null otherwise.
 */
public record FailureView(String phase, String step, String reason, String retryCommand, String skipCommand,
                          String rollbackCommand, String skipStatement, java.util.List<String> skipBy) {

    /** A failure anyone may resolve. */
    public FailureView(String phase, String step, String reason, String retryCommand, String skipCommand,
                       String rollbackCommand) {
        this(phase, step, reason, retryCommand, skipCommand, rollbackCommand, null, null);
    }

    public static FailureView of(String workflowId, String phase, String step, String reason) {
        return new FailureView(phase, step, reason, command(workflowId, step, "retry"), command(workflowId, step, "skip"),
                command(workflowId, step, "rollback"));
    }

    /**
     * A stream that failed for good: it can be retried (it resumes from its committed position) or rolled back, not
     * skipped, so there is no skip command.
     */
    public static FailureView ofStream(String workflowId, String phase, String step, String reason) {
        return new FailureView(phase, step, reason, command(workflowId, step, "retry"), null,
                command(workflowId, step, "rollback"));
    }

    /** This failure, whose skip must be signed by one of {@code by} over {@code statement}. */
    public FailureView withSignedSkip(String statement, java.util.List<String> by) {
        return new FailureView(phase, step, reason, retryCommand, skipCommand, rollbackCommand, statement,
                java.util.List.copyOf(by));
    }

    private static String command(String workflowId, String step, String action) {
        return SignalCommand.of(workflowId, "resolveFailure", "\"step\":\"" + step + "\",\"action\":\"" + action
                + "\",\"by\":\"" + SignalCommand.YOU + "\",\"reason\":\"" + SignalCommand.WHY + "\"");
    }
}
