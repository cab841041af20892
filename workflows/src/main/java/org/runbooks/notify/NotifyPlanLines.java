package org.runbooks.notify;

import org.runbooks.model.NotifyStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;

import java.util.List;

import static org.runbooks.step.PlanLines.oneLine;

/** A notification in the words of {@code plan}: the webhook and the message. */
public final class NotifyPlanLines implements PlanLines<NotifyStep> {

    @Override
    public List<String> does(NotifyStep n, KeyRanges keyRanges) {
        return List.of("post to webhook " + n.webhook() + ": " + oneLine(n.message()));
    }

    @Override
    public String compensation(NotifyStep n) {
        return "none (a notification changes no data)";
    }
}
