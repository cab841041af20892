package org.runbooks.preflight;

/**
 * One thing pre-flight found about one step.
 *
 * @param path    the field it is about, starting with the step's path, e.g. {@code phases[0].steps[1].backfill.to}
 * @param stepId  the step's id
 * @param level   how much it matters
 * @param message what was found, naming the connection and table; never a credential
 * @param unreachable true for a connection that could not be reached (or did not answer), which a later attempt may
 *                    reach
 */
public record Finding(String path, String stepId, FindingLevel level, String message, boolean unreachable) {

    public Finding(String path, String stepId, FindingLevel level, String message) {
        this(path, stepId, level, message, false);
    }

    /** {@code ERROR   phases[0].steps[0].backfill.to (copy-orders): table orders_v2 does not exist ...}. */
    @Override
    public String toString() {
        return String.format("%-7s %s (%s): %s", level, path, stepId, message);
    }

    /** The same, placed in its file: {@code ERROR   orders.yaml:9:11: phases[0].steps[0].backfill.to (copy): ...}. */
    public String at(String where) {
        return String.format("%-7s %s: %s (%s): %s", level, where, path, stepId, message);
    }
}
