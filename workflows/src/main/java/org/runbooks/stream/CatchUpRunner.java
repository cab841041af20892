package org.runbooks.stream;

import io.temporal.workflow.Workflow;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseResult;
import org.runbooks.model.CatchUpStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Locale;

/**
 * Runs a catch-up step: reads the stream's lag every {@link #EVERY} until it is under {@code maxLag}, or fails the
 * step with the lag it last measured once {@code within} has passed. Reads only; nothing to undo.
 */
public final class CatchUpRunner implements StepRunner<CatchUpStep> {

    private static final Logger log = Workflow.getLogger(CatchUpRunner.class);

    /** How often the lag is read: every 5 s, about 120 readings in a 10-minute bound. */
    static final Duration EVERY = Duration.ofSeconds(5);

    @Override
    public PhaseResult run(CatchUpStep c, StepContext context) {
        StreamSpec spec = StreamRunner.spec(c.resolved(), context.request().runKey());
        context.tell(PhaseEvent.started(context.phaseName(), c.id(), null));
        StreamActivities streams = Workflow.newActivityStub(StreamActivities.class, StepOptions.streamLag());
        long deadline = Workflow.currentTimeMillis() + c.within().toMillis();
        double maxLag = c.maxLag().toMillis() / 1000.0;
        while (true) {
            StreamLag lag = streams.streamLag(spec);
            if (lag.lagSeconds() >= 0 && lag.lagSeconds() < maxLag) {
                log.info("runbook={} step={} stream {} is {} s behind (under {} s)", context.request().runbook(),
                        c.id(), c.stream(), lag.lagSeconds(), maxLag);
                context.tell(PhaseEvent.completed(context.phaseName(), c.id(), 0, null));
                return null;
            }
            if (Workflow.currentTimeMillis() >= deadline) {
                String behind = lag.lagSeconds() < 0 ? "has not reported its lag yet"
                        : String.format(Locale.ROOT, "is still %.1f s behind (%,d bytes, applied up to %s)",
                        lag.lagSeconds(), lag.bytesBehind(), lag.appliedPosition());
                return new PhaseResult(PhaseOutcome.FAILED, c.id(), "stream " + c.stream() + " " + behind
                        + " after " + c.within() + "; it must be under " + c.maxLag());
            }
            Workflow.sleep(EVERY);
        }
    }
}
