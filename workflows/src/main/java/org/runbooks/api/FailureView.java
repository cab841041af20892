package org.runbooks.api;

/** A step that failed and waits for an operator, with the exact commands that retry it, skip it or roll back. */
public record FailureView(String phase, String step, String reason, String retryCommand, String skipCommand,
                          String rollbackCommand) {

    public static FailureView of(String workflowId, String phase, String step, String reason) {
        return new FailureView(phase, step, reason, command(workflowId, step, "retry"), command(workflowId, step, "skip"),
                command(workflowId, step, "rollback"));
    }

    private static String command(String workflowId, String step, String action) {
        return SignalCommand.of(workflowId, "resolveFailure", "\"step\":\"" + step + "\",\"action\":\"" + action
                + "\",\"by\":\"" + SignalCommand.YOU + "\",\"reason\":\"" + SignalCommand.WHY + "\"");
    }
}
