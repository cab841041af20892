package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * Which keys a table comparison found different, each key as its column values in text, in key order within each
 * list. A validation lists at most a bounded number of keys (so a report stays small enough for a workflow history);
 * {@code truncated} says more differences exist than are listed.
 *
 * @param missing keys the source has and the target lacks
 * @param extra   keys the target has and the source lacks
 * @param changed keys both have, whose rows differ in a column both tables share
 */
public record KeyDifferences(List<List<String>> missing, List<List<String>> extra, List<List<String>> changed,
                             boolean truncated) {

    /** No difference found (or none looked for). */
    public static final KeyDifferences NONE = new KeyDifferences(List.of(), List.of(), List.of(), false);

    public KeyDifferences {
        missing = missing == null ? List.of() : List.copyOf(missing);
        extra = extra == null ? List.of() : List.copyOf(extra);
        changed = changed == null ? List.of() : List.copyOf(changed);
    }

    /** How many keys are listed, over the three lists. */
    public int listed() {
        return missing.size() + extra.size() + changed.size();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return listed() == 0 && !truncated;
    }
}
