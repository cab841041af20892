package org.runbooks.parse;

import org.runbooks.model.GateReminder;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/** {@code gate: {approvers, quorum, timeout, onTimeout, twoPersonRule, remind: {webhook, every}, signed}}. */
final class GateParser implements StepParser<GateStep> {

    @Override
    public GateStep parse(String id, Node body) {
        List<String> approvers = body.textList("approvers", true);
        if (body.isEmptyList("approvers")) {
            body.error(body.child("approvers"), "must name at least one approver");
        }
        if (new HashSet<>(approvers).size() != approvers.size()) {
            body.error(body.child("approvers"), "names an approver twice");
        }
        int quorum = body.optionalInt("quorum", 1);
        if (quorum < 1) {
            body.error(body.child("quorum"), "must be >= 1, not " + quorum);
        } else if (!approvers.isEmpty() && quorum > approvers.size()) {
            body.error(body.child("quorum"), "must be <= number of approvers (" + approvers.size() + ")");
        }
        Duration timeout = body.optionalDuration("timeout");
        String onTimeout = body.optionalText("onTimeout", "rollback");
        GateTimeoutPolicy policy = switch (onTimeout) {
            case "rollback" -> GateTimeoutPolicy.ROLLBACK;
            case "keep-waiting" -> GateTimeoutPolicy.KEEP_WAITING;
            case "proceed-if-validated" -> GateTimeoutPolicy.PROCEED_IF_VALIDATED;
            default -> {
                body.error(body.child("onTimeout"), "must be rollback, keep-waiting or proceed-if-validated, not '"
                        + onTimeout + "'");
                yield GateTimeoutPolicy.ROLLBACK;
            }
        };
        if (!body.has("timeout") && body.has("onTimeout")) {
            body.error(body.child("onTimeout"), "has no effect without a timeout");
        }
        boolean twoPersonRule = body.optionalBoolean("twoPersonRule", false);
        if (twoPersonRule && approvers.size() == 1) {
            body.error(body.child("twoPersonRule"), "needs at least two approvers");
        }
        boolean signed = body.optionalBoolean("signed", false);
        return new GateStep(id, approvers, quorum, timeout, policy, twoPersonRule, reminder(body.object("remind", false)),
                signed);
    }

    private static GateReminder reminder(Node node) {
        if (node == null) {
            return null;
        }
        String webhook = node.requiredText("webhook");
        node.checks().webhook(node.child("webhook"), webhook);
        Duration every = node.optionalDuration("every");
        if (every == null && !node.has("every")) {
            node.error(node.child("every"), "is required");
        }
        node.rejectUnknownKeys();
        return new GateReminder(webhook, every);
    }
}
