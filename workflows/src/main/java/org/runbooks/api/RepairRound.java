package org.runbooks.api;

/**
 * One round of a validate step's repair, as evidence: the keys the comparison before it found different, and what
 * re-copying them did.
 *
 * @param round    1-based
 * @param found    the keys the validation listed (its lists are capped; {@code truncated} says more differed)
 * @param repaired what the repair activity did with them
 */
public record RepairRound(int round, KeyDifferences found, KeyRepairResult repaired) {
}
