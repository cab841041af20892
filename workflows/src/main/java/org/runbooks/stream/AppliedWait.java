package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How {@link StreamActivities#awaitApplied} ended. Not catching up in time is an answer, not a failure: the
 * workflow decides (a cutover thaws and aborts the switch).
 *
 * @param reached      whether the target has applied everything up to {@code position}
 * @param position     the position waited for
 * @param lag          the stream's lag when the wait ended: its applied position, how far behind, whether it runs
 * @param waitedMillis how long it waited
 */
public record AppliedWait(@JsonProperty("reached") boolean reached,
                          @JsonProperty("position") String position,
                          @JsonProperty("lag") StreamLag lag,
                          @JsonProperty("waitedMillis") long waitedMillis) {

    /** One line for status and the report. */
    public String summary() {
        if (reached) {
            return "applied up to " + position + " after " + waitedMillis + " ms";
        }
        return "not caught up with " + position + " within " + waitedMillis + " ms: applied up to "
                + (lag == null ? "?" : lag.appliedPosition()) + ", " + (lag == null ? "?" : lag.lagSeconds())
                + " s and " + (lag == null ? "?" : lag.bytesBehind()) + " bytes behind"
                + (lag != null && !lag.running() ? ", the stream is not running" : "");
    }
}
