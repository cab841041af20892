package org.runbooks.parse;

import org.runbooks.model.FlagStep;

/** {@code flag: {connection, name, percent | enabled}}. */
final class FlagParser implements StepParser<FlagStep> {

    @Override
    public FlagStep parse(String id, Node body) {
        String connection = Fields.connection(body, "connection");
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
}
