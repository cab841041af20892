package org.runbooks.parse;

import org.runbooks.model.WaitStep;

import java.time.Duration;

/**
 * {@code wait: {duration, revalidate, every}}; whether {@code revalidate} names a validate step is checked once every
 * step is known (see {@link RunbookParser}).
 */
final class WaitParser implements StepParser<WaitStep> {

    /**
     * The shortest {@code every} of a wait's re-validation: one minute, or a tenth of the wait when the wait is
     * shorter than ten minutes (so a short soak can still re-validate a few times).
     */
    static final Duration MIN_EVERY = Duration.ofMinutes(1);

    @Override
    public WaitStep parse(String id, Node body) {
        Duration duration = body.optionalDuration("duration");
        if (duration == null && !body.has("duration")) {
            body.error(body.child("duration"), "is required");
        }
        String revalidate = body.optionalText("revalidate", null);
        Duration every = body.optionalDuration("every");
        if (every != null && revalidate == null) {
            body.error(body.child("every"), "has no effect without revalidate");
        }
        Duration floor = duration == null || duration.dividedBy(10).compareTo(MIN_EVERY) >= 0 ? MIN_EVERY
                : duration.dividedBy(10);
        if (every != null && !every.isNegative() && !every.isZero() && every.compareTo(floor) < 0) {
            body.error(body.child("every"), "must be at least " + floor + " (" + MIN_EVERY + ", or a tenth of a"
                    + " shorter wait): each re-validation queries both databases and is recorded in history");
        }
        if (every != null && duration != null && every.compareTo(duration) > 0) {
            body.error(body.child("every"), "must be <= duration (" + duration + ")");
        }
        return new WaitStep(id, duration, revalidate, revalidate != null && every == null ? duration : every);
    }
}
