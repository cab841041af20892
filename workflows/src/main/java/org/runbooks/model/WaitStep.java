package org.runbooks.model;

import java.time.Duration;

/**
 * Waits for {@code duration} (a soak). With {@code revalidate}, it re-runs that validate step every {@code every}
 * and at the end; a failed re-validation fails the phase at once, so a soak catches drift while it happens.
 * {@code check} is the validate step {@code revalidate} names, resolved by the parser so the phase can run it.
 */
public record WaitStep(String id, Duration duration, String revalidate, Duration every, ValidateStep check)
        implements Step {

    /** A wait before the parser has resolved {@code revalidate}. */
    public WaitStep(String id, Duration duration, String revalidate, Duration every) {
        this(id, duration, revalidate, every, null);
    }

    public WaitStep resolved(ValidateStep validateStep) {
        return new WaitStep(id, duration, revalidate, every, validateStep);
    }

    @Override
    public StepKind kind() {
        return StepKind.WAIT;
    }
}
