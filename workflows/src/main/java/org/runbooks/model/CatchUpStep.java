package org.runbooks.model;

import java.time.Duration;

/**
 * Waits until stream {@code stream} is less than {@code maxLag} behind its source, for at most {@code within}; the
 * step fails with the lag it measured otherwise. Put before a gate or a validation, it makes them wait for a target
 * that is in step.
 *
 * @param resolved the stream step it names, filled in by the parser (the stream may run from an earlier phase)
 */
public record CatchUpStep(String id, String stream, Duration maxLag, Duration within, StreamStep resolved)
        implements Step {

    /** Default bound on the wait: 10 minutes. */
    public static final Duration DEFAULT_WITHIN = Duration.ofMinutes(10);

    /** This step with the stream step it names. */
    public CatchUpStep resolve(StreamStep streamStep) {
        return new CatchUpStep(id, stream, maxLag, within, streamStep);
    }

    @Override
    public StepKind kind() {
        return StepKind.CATCH_UP;
    }
}
