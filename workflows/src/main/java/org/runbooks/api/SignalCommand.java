package org.runbooks.api;

/**
 * The {@code temporal workflow signal} commands that status and the Current Details print for an operator to paste.
 * Their placeholders are plain capitals: the CLI prints a query result as JSON with HTML escaping, which would print
 * the angle brackets of a {@code <you>} as unicode escapes that no shell reads back.
 */
public final class SignalCommand {

    /** Where the operator writes their name. */
    public static final String YOU = "YOU";

    /** Where the operator writes why. */
    public static final String WHY = "WHY";

    private SignalCommand() {
    }

    /** The command that sends signal {@code name} to {@code workflowId}; {@code fields} open the JSON input. */
    public static String of(String workflowId, String name, String fields) {
        return "temporal workflow signal --workflow-id " + workflowId + " --name " + name + " --input '{" + fields
                + "}'";
    }
}
