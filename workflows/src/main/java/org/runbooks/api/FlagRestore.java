package org.runbooks.api;

import org.runbooks.flag.FlagActivities;

/**
 * Undo the change that {@link FlagActivities#setFlag} recorded under {@code changeKey}. The previous value is read
 * from that record, so this can be registered before the change is made and still do the right thing.
 */
public record FlagRestore(String changeKey, String connection, String name, String changedBy) {
}
