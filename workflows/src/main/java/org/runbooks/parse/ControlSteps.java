package org.runbooks.parse;

import java.util.Map;
import java.util.LinkedHashMap;
import org.runbooks.model.ControlPolicy;
import org.runbooks.model.AutoNotify;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateReminder;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.model.NotifyStep;
import org.runbooks.model.SqlStep;
import org.runbooks.model.WaitStep;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/** Reads the steps that steer a migration: {@code flag}, {@code sql}, {@code gate}, {@code wait} and {@code notify}. */
final class ControlSteps {

    /**
     * The shortest {@code every} of a wait's re-validation: one minute, or a tenth of the wait when the wait is
     * shorter than ten minutes (so a short soak can still re-validate a few times).
     */
    static final Duration MIN_EVERY = Duration.ofMinutes(1);

    private ControlSteps() {
    }

    static FlagStep flag(String id, Node body) {
        String connection = DataSteps.connection(body, "connection");
        String name = body.requiredText("name");
        if (name != null && !name.matches("[A-Za-z0-9_.:-]{1,200}")) {
            body.error(body.child("name"), "must be letters, digits and . _ : - (at most 200)");
        }
        boolean hasPercent = body.has("percent");
        boolean hasEnabled = body.has("enabled");
        // Both are read either way, so that giving both is one error and not also two "unknown key"s.
        int percent = body.optionalInt("percent", 0);
        boolean enabled = body.optionalBoolean("enabled", false);
        if (hasPercent == hasEnabled) {
            body.error(body.path(), "needs exactly one of percent or enabled");
            percent = 0;
        } else if (hasEnabled) {
            percent = enabled ? 100 : 0;
        } else if (percent < 0 || percent > 100) {
            body.error(body.child("percent"), "must be between 0 and 100, not " + percent);
        }
        return new FlagStep(id, connection, name, percent);
    }

    static SqlStep sql(String id, Node body) {
        String connection = DataSteps.connection(body, "connection");
        String apply = body.requiredText("apply");
        String revert = body.optionalText("revert", null);
        boolean irreversible = body.optionalBoolean("irreversible", false);
        if (revert != null && revert.isBlank()) {
            body.error(body.child("revert"), "must not be blank");
        }
        if (revert == null && !irreversible && !body.has("revert")) {
            body.error(body.child("revert"), "is required; a step that cannot be undone says irreversible: true");
        }
        if (revert != null && irreversible) {
            body.error(body.child("irreversible"), "contradicts the revert given");
        }
        Duration lockTimeout = body.optionalDuration("lockTimeout");
        return new SqlStep(id, connection, apply, revert, irreversible, lockTimeout);
    }

    static GateStep gate(String id, Node body) {
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

    /** The runbook's top-level {@code notify: {webhook}}: where automatic notifications go. */
    static AutoNotify autoNotify(Node node) {
        if (node == null) {
            return null;
        }
        String webhook = node.requiredText("webhook");
        node.checks().webhook(node.child("webhook"), webhook);
        node.rejectUnknownKeys();
        return new AutoNotify(webhook);
    }

    /** The runbook's {@code controls:} block: who may roll back, retry, skip or tune, and whether signed. */
    static ControlPolicy controls(Node node) {
        if (node == null) {
            return ControlPolicy.OPEN;
        }
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        for (String command : ControlPolicy.COMMANDS) {
            if (node.has(command)) {
                List<String> principals = node.textList(command, false);
                if (principals.isEmpty()) {
                    node.error(node.child(command), "must name at least one principal; leave it out for the default");
                }
                allowed.put(command, principals);
            }
        }
        boolean signed = node.optionalBoolean("signed", false);
        node.rejectUnknownKeys();
        return new ControlPolicy(allowed, signed);
    }

    /** A wait whose {@code revalidate} is checked once every step is known; see {@link RunbookParser}. */
    static WaitStep wait(String id, Node body) {
        Duration duration = body.optionalDuration("duration");
        if (duration == null && !body.has("duration")) {
            body.error(body.child("duration"), "is required");
        }
        String revalidate = body.optionalText("revalidate", null);
        Duration every = body.optionalDuration("every");
        if (every != null && revalidate == null) {
            body.error(body.child("every"), "has no effect without revalidate");
        }
        Duration floor = duration == null || duration.dividedBy(10).compareTo(MIN_EVERY) >= 0 ? MIN_EVERY
                : duration.dividedBy(10);
        if (every != null && !every.isNegative() && !every.isZero() && every.compareTo(floor) < 0) {
            body.error(body.child("every"), "must be at least " + floor + " (" + MIN_EVERY + ", or a tenth of a"
                    + " shorter wait): each re-validation queries both databases and is recorded in history");
        }
        if (every != null && duration != null && every.compareTo(duration) > 0) {
            body.error(body.child("every"), "must be <= duration (" + duration + ")");
        }
        return new WaitStep(id, duration, revalidate, revalidate != null && every == null ? duration : every);
    }

    static NotifyStep notify(String id, Node body) {
        String webhook = body.requiredText("webhook");
        body.checks().webhook(body.child("webhook"), webhook);
        String message = body.requiredText("message");
        if (message != null && message.isBlank()) {
            body.error(body.child("message"), "must not be blank");
        }
        return new NotifyStep(id, webhook, message);
    }
}
