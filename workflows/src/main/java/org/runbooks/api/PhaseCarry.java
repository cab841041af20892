package org.runbooks.api;

/**
 * What one run of a phase hands to the next when it continues as new: the step it stopped in (the next run resumes
 * that step without announcing it again, so its compensation is registered once), the knobs in force, the latest
 * validation's verdict, and the step's own progress: a sliced copy's ({@code copy}), or a soak's time left and
 * re-validations done ({@code soakLeftMillis}, {@code soakRound}).
 */
public record PhaseCarry(int stepIndex, Knobs knobs, Boolean lastValidation, CopyCarry copy, long soakLeftMillis,
                         int soakRound) {
}
