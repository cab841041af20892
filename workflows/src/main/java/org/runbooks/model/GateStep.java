package org.runbooks.model;

import java.time.Duration;
import java.util.List;

/**
 * A go/no-go decision by named people: {@code quorum} distinct approvers from {@code approvers} must approve; one
 * rejection rejects. With {@code twoPersonRule}, the person who started the runbook cannot be its only approver.
 * With a {@code timeout}, {@code onTimeout} decides what happens when it runs out. With {@code remind}, the gate
 * posts a reminder to a webhook at that interval while it waits. With {@code signed}, a decision counts only with an
 * OpenSSH signature by a key the worker's allowed-signers file gives that approver, over the gate's exact statement.
 */
public record GateStep(String id, List<String> approvers, int quorum, Duration timeout, GateTimeoutPolicy onTimeout,
                       boolean twoPersonRule, GateReminder remind, boolean signed) implements Step {

    public GateStep {
        approvers = List.copyOf(approvers);
    }

    public GateStep(String id, List<String> approvers, int quorum, Duration timeout, GateTimeoutPolicy onTimeout) {
        this(id, approvers, quorum, timeout, onTimeout, false, null);
    }

    /** A gate that takes self-declared decisions. */
    public GateStep(String id, List<String> approvers, int quorum, Duration timeout, GateTimeoutPolicy onTimeout,
                    boolean twoPersonRule, GateReminder remind) {
        this(id, approvers, quorum, timeout, onTimeout, twoPersonRule, remind, false);
    }

    @Override
    public StepKind kind() {
        return StepKind.GATE;
    }
}
