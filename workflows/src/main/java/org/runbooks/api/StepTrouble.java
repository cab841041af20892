package org.runbooks.api;

/**
 * A step whose activity keeps failing because something it needs cannot be reached, as {@code status} shows it while
 * Temporal retries: the latest failed attempt and its error, and since when the step has been in trouble. It goes as
 * soon as the phase reports anything else (progress, the step completing or failing, the next step).
 *
 * @param since the first failed attempt of this spell of trouble, an ISO-8601 instant of the worker's clock
 */
public record StepTrouble(String phase, String step, String activity, int attempt, String error, String since) {

    /**
     * The view after {@code trouble}, continuing the spell {@code before} (null: a new one) of the same step: its start
     * stays, and the attempt shown is the highest, since parallel slices each count their own.
     */
    public static StepTrouble of(String phase, String step, ActivityTrouble trouble, StepTrouble before) {
        boolean sameSpell = before != null && before.step().equals(step);
        return new StepTrouble(phase, step, trouble.activityType(),
                sameSpell ? Math.max(before.attempt(), trouble.attempt()) : trouble.attempt(), trouble.error(),
                sameSpell ? before.since() : trouble.at());
    }

    /** True when an operator would see something new: another step, activity, attempt or error. */
    public boolean differsFrom(StepTrouble told) {
        return told == null || !step.equals(told.step) || attempt != told.attempt
                || !java.util.Objects.equals(activity, told.activity) || !java.util.Objects.equals(error, told.error);
    }
}
