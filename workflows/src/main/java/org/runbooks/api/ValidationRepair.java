package org.runbooks.api;

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

    /**
     * One line for status panels and reports: {@code from copy-orders in 1 round: 1 missing, 1 extra, 1 changed key(s)
     * found; 2 upserted, 1 deleted (<detail>)}.
     */
    public String summary() {
        int missing = rounds.stream().mapToInt(r -> r.found().missing().size()).sum();
        int extra = rounds.stream().mapToInt(r -> r.found().extra().size()).sum();
        int changed = rounds.stream().mapToInt(r -> r.found().changed().size()).sum();
        int upserted = rounds.stream().mapToInt(r -> r.repaired().upserted()).sum();
        int deleted = rounds.stream().mapToInt(r -> r.repaired().deleted()).sum();
        return "from " + backfill + " in " + rounds.size() + " round(s): " + missing + " missing, " + extra
                + " extra, " + changed + " changed key(s) found; " + upserted + " upserted, " + deleted + " deleted ("
                + detail + ")";
    }
}
