package org.runbooks.parse;

import org.runbooks.model.LagWindow;

import java.time.Duration;

/** A validate step's {@code lagWindow: {column, duration}}: the timestamp column and how recent is in flight. */
final class LagWindowOption {

    private LagWindowOption() {
    }

    /** The window, or null when absent or wrong (the errors then name each field). */
    static LagWindow read(Node body) {
        Node node = body.object("lagWindow", false);
        if (node == null) {
            return null;
        }
        String column = node.requiredText("column");
        if (column != null && !Identifiers.isQuotableName(column)) {
            node.error(node.child("column"), Fields.notAColumn(column));
            column = null;
        }
        Duration duration = node.optionalDuration("duration");
        if (duration == null && !node.has("duration")) {
            node.error(node.child("duration"), "is required");
        }
        node.rejectUnknownKeys();
        return column == null || duration == null ? null : new LagWindow(column, duration);
    }
}
