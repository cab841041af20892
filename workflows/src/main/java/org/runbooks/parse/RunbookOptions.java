package org.runbooks.parse;

import org.runbooks.model.AutoNotify;
import org.runbooks.model.ControlPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what a runbook sets for all its steps: where automatic notifications go, and who may use which control. */
final class RunbookOptions {

    private RunbookOptions() {
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
}
