package org.runbooks.stream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which changes of one batch still matter once the batch commits whole: a change is superseded when a later change
 * of the same batch to the same key sets the whole row (a full-row upsert) or removes it (a delete), since the target
 * then ends the transaction the same without it. A change that sets only some columns (an update without an
 * unchanged TOAST value) supersedes nothing. What is kept stays in source commit order.
 *
 * <p>On a hot row (pgbench's branches take every transaction's update) a batch of thousands of changes keeps one per
 * key. The target never sees the rows' states in between, which only the batch's own transaction could have seen.
 */
final class ChangeCompaction {

    private ChangeCompaction() {
    }

    /**
     * The changes to apply, in order.
     *
     * @param key   a change's key, compared by {@code equals}
     * @param whole whether a change sets the whole row or removes it
     */
    static <T> List<T> kept(List<T> changes, Function<T, ?> key, Predicate<T> whole) {
        boolean[] superseded = new boolean[changes.size()];
        Set<Object> settled = new HashSet<>();
        int dropped = 0;
        for (int i = changes.size() - 1; i >= 0; i--) {
            T change = changes.get(i);
            Object k = key.apply(change);
            if (settled.contains(k)) {
                superseded[i] = true;
                dropped++;
            } else if (whole.test(change)) {
                settled.add(k);
            }
        }
        if (dropped == 0) {
            return changes;
        }
        List<T> kept = new ArrayList<>(changes.size() - dropped);
        for (int i = 0; i < changes.size(); i++) {
            if (!superseded[i]) {
                kept.add(changes.get(i));
            }
        }
        return kept;
    }
}
