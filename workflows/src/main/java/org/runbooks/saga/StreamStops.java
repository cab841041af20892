package org.runbooks.saga;

import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamSpec;
import org.runbooks.stream.StreamWorkflow;

/**
 * Ends a stream for good: tells its workflow to stop (it cancels its apply and waits for it), asks any apply still
 * running to stop through the target's position row, then drops the slot and publication the stream created. The
 * drop retries while the slot is still held by an apply that is stopping. Touches no row of either table.
 */
final class StreamStops {

    private StreamStops() {
    }

    static String stopAndDrop(Compensation.DropStream c, StreamActivities streams, String why) {
        String told;
        try {
            Workflow.newExternalWorkflowStub(StreamWorkflow.class, c.workflowId()).stop(why);
            told = "stream workflow stopped";
        } catch (SignalExternalWorkflowException | io.temporal.failure.ApplicationFailure e) {
            told = "stream workflow had ended";
        }
        StreamSpec spec = new StreamSpec(c.streamId(), c.from().connection(), c.from().table(), c.to().connection(),
                c.to().table(), c.key());
        streams.stopStream(spec);
        return told + "; " + streams.dropStream(spec).summary();
    }
}
