package org.runbooks.gate;

import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;
import org.runbooks.ui.Durations;

import java.util.List;

/** A gate in the words of {@code plan}: who decides, how many, and what a timeout does. */
public final class GatePlanLines implements PlanLines<GateStep> {

    @Override
    public List<String> does(GateStep g, KeyRanges keyRanges) {
        return List.of("wait for a go/no-go decision",
                "approvers: " + String.join(", ", g.approvers()) + "; quorum: " + g.quorum()
                        + "; one rejection rejects",
                g.timeout() == null ? "timeout: none (waits until decided)"
                        : "timeout: " + Durations.compact(g.timeout()) + "; on timeout: "
                        + (g.onTimeout() == GateTimeoutPolicy.ROLLBACK ? "roll back" : "keep waiting"));
    }

    @Override
    public String compensation(GateStep g) {
        return "none (a decision)";
    }
}
