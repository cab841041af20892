package org.runbooks.model;

import java.time.Duration;
import java.util.List;

/**
 * Switches the application from a stream's source to its target, as one durable sequence: pre-check the stream's
 * lag, freeze writes on the source, let the stream catch up to the position taken at the freeze (or thaw and abort on
 * its own), set the target's sequences past the source's, start a reverse stream (target to source) while writes are
 * still frozen, flip the flags, thaw. Rolling back after it is the same in reverse, and loses nothing.
 *
 * @param stream         the id of the stream step it switches
 * @param maxLag         the pre-check: the stream must be less than this behind before anything is frozen
 * @param catchUp        how long the stream gets, writes frozen, to apply everything up to the freeze
 * @param freeze         the source tables whose writes are frozen (default: the stream's source table)
 * @param sequenceMargin how far past the source's next value each target sequence starts
 * @param reverse        whether to start the reverse stream (default true; without it a rollback cannot bring the
 *                       target's writes back, and the parser says so)
 * @param settle         how long the flags are given to reach every application before the freeze is lifted: as long
 *                       as an application may cache a flag (default 1 s), so none writes to the source after the thaw
 * @param flags          the flags that send the application's reads and writes to the target, flipped at the switch
 * @param resolved       the stream step named by {@code stream}, filled in by the parser
 */
public record CutoverStep(String id, String stream, Duration maxLag, Duration catchUp, List<String> freeze,
                          long sequenceMargin, boolean reverse, Duration settle, List<FlagStep> flags,
                          StreamStep resolved)
        implements Step {

    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CATCH_UP = Duration.ofSeconds(30);
    /** How long the pre-check waits for the lag to come under {@link #maxLag} before it fails the step. */
    public static final Duration PRE_CHECK_WITHIN = Duration.ofMinutes(2);
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);

    public CutoverStep {
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** This step with the stream step it names; the freeze defaults to that stream's source table. */
    public CutoverStep resolve(StreamStep streamStep) {
        return new CutoverStep(id, stream, maxLag, catchUp,
                freeze.isEmpty() ? List.of(streamStep.from().table()) : freeze, sequenceMargin, reverse, settle, flags,
                streamStep);
    }

    @Override
    public StepKind kind() {
        return StepKind.CUTOVER;
    }
}
