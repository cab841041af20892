package org.runbooks.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Who may send the operator commands that have consequences, as the runbook's {@code controls:} block says.
 * {@code rollback}, {@code retry} and {@code skip} (the resolutions of a failed step) and {@code tune} (tune, pause
 * and resume) each name their principals; a command the block leaves out keeps its default. With {@code signed}
 * (or a worker that requires signatures), each restricted command needs that principal's OpenSSH signature.
 *
 * <p>The defaults: anyone may roll back (before a switch it is the safe direction, and a slow rollback costs more
 * than a wrong one), retry a failed step, tune, pause or resume; but skipping a failed step (say, a validation that
 * found wrong data) is restricted, when signatures are in force, to the runbook's gate approvers.
 *
 * @param allowed command to the principals allowed to send it; a command absent here keeps its default
 * @param signed  whether a restricted command needs a signature
 */
public record ControlPolicy(Map<String, List<String>> allowed, boolean signed) {

    /** The commands a policy can restrict. */
    public static final List<String> COMMANDS = List.of("rollback", "retry", "skip", "tune");

    /** No {@code controls:} block. */
    public static final ControlPolicy OPEN = new ControlPolicy(Map.of(), false);

    public ControlPolicy {
        allowed = allowed == null ? Map.of() : Map.copyOf(new TreeMap<>(allowed));
    }

    /**
     * The principals that may send {@code command} in {@code runbook}, or null for anyone. {@code signing} says
     * whether signatures are in force (the policy's own {@code signed}, or the worker's requirement).
     */
    public List<String> principals(String command, Runbook runbook, boolean signing) {
        List<String> named = allowed.get(command);
        if (named != null) {
            return named;
        }
        if (command.equals("skip") && signing) {
            return runbook.phases().stream().flatMap(p -> p.steps().stream())
                    .flatMap(s -> s instanceof GateStep g ? g.approvers().stream() : Stream.empty())
                    .distinct().toList();
        }
        return null;
    }
}
