package org.runbooks.backfill;

import org.runbooks.model.BackfillStep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@link BackfillActivities#repairKeys} re-copies: exactly {@code keys} (each as its column values in text, in
 * the order of {@code key}), read the way backfill {@code step} reads its source and written where it writes.
 *
 * @param idempotencyKey run id + validate step id + round, naming this repair in logs
 * @param key            the key columns as the target names them (the validate step's key), which the parser has
 *                       checked are the columns the backfill writes its key into, in the same order
 */
public record KeyRepairRequest(String idempotencyKey, String runbook, BackfillStep step, List<String> key,
                               List<List<String>> keys) {

    public KeyRepairRequest {
        key = List.copyOf(key);
        keys = keys.stream().map(k -> Collections.unmodifiableList(new ArrayList<>(k))).toList();
    }
}
