package org.runbooks.model;

import java.time.Duration;
import java.util.List;

/**
 * A go/no-go decision by named people: {@code quorum} distinct approvers from {@code approvers} must approve; one
 * rejection rejects. With a {@code timeout}, {@code onTimeout} decides what happens when it runs out.
 */
public record GateStep(String id, List<String> approvers, int quorum, Duration timeout, GateTimeoutPolicy onTimeout)
        implements Step {

    public GateStep {
        approvers = List.copyOf(approvers);
    }
}
