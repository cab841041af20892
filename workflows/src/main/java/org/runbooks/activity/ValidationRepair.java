package org.runbooks.activity;

import java.util.List;

/**
 * How a validate step repaired its target before the verdict that counts: the backfill it re-copied keys with,
 * each round (the keys found, what was written), whether the validation after the last round passed, and why it
 * stopped, in a sentence an approver can act on. Kept on the final {@link ValidationReport}, so {@code status},
 * Current Details and the migration report show what was repaired.
 *
 * @param closed true when the validation after the last round passed
 */
public record ValidationRepair(String backfill, List<RepairRound> rounds, boolean closed, String detail) {

    public ValidationRepair {
        rounds = rounds == null ? List.of() : List.copyOf(rounds);
    }

    /** Keys re-copied over every round: upserted plus deleted. */
    public int keysRepaired() {
        return rounds.stream().mapToInt(r -> r.repaired().upserted() + r.repaired().deleted()).sum();
    }
}
