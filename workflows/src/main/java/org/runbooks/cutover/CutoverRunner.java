package org.runbooks.cutover;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.WriteFreeze;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagChange;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.StreamStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;
import org.runbooks.stream.AppliedWait;
import org.runbooks.stream.AwaitApplied;
import org.runbooks.stream.SourcePosition;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamLag;
import org.runbooks.stream.StreamRunner;
import org.runbooks.stream.StreamSpec;
import org.runbooks.stream.StreamWorkflow;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a cutover step (see {@link CutoverStep}). Each side effect's undo is registered before it: the source's freeze
 * before the freeze, the reverse stream's drop before it starts, and the switch back before the first flag flips. A
 * catch-up that does not finish in time thaws the source and fails the step with what it measured: nothing is
 * switched, writes go on on the source, and a retry starts over.
 */
public final class CutoverRunner implements StepRunner<CutoverStep> {

    private static final Logger log = Workflow.getLogger(CutoverRunner.class);

    /**
     * The {@code Workflow.getVersion} change id that starts the reverse stream's workflow after the thaw rather than
     * while writes are frozen: its start position is fixed (by {@code startStream}) before the flags flip either
     * way, so nothing written on the target is missed, and the freeze no longer waits for a child workflow to start.
     */
    static final String LAUNCH_AFTER_THAW_CHANGE = "cutover-launch-after-thaw";

    /** How often the pre-check reads the stream's lag. */
    static final Duration PRE_CHECK_EVERY = Duration.ofSeconds(2);

    @Override
    public PhaseResult run(CutoverStep c, StepContext context) {
        String phase = context.phaseName();
        String runKey = context.request().runKey();
        String runbookWorkflow = StreamRunner.runbookWorkflow();
        StreamStep forward = c.resolved();
        StreamSpec forwardSpec = StreamRunner.spec(forward, runKey);
        StreamActivities streams = Workflow.newActivityStub(StreamActivities.class, StepOptions.heartbeatingStep());
        StreamActivities lag = Workflow.newActivityStub(StreamActivities.class, StepOptions.streamLag());
        CutoverActivities cutover = Workflow.newActivityStub(CutoverActivities.class, StepOptions.shortStep());
        FlagActivities flags = Workflow.newActivityStub(FlagActivities.class, StepOptions.writingStep());
        String sourceFreeze = context.key(c) + "/source";
        String source = forward.from().connection();

        context.tell(PhaseEvent.started(phase, c.id(), new Compensation.ThawWrites(c.id(), sourceFreeze, source)));
        String behind = preCheck(c, forwardSpec, lag);
        if (behind != null) {
            return new PhaseResult(PhaseOutcome.FAILED, c.id(), "pre-check: stream " + c.stream() + " " + behind
                    + "; nothing was frozen or switched");
        }

        if (Workflow.getVersion(FreezeWindow.LOCAL_SWITCH_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            return switchLocally(c, context, forwardSpec, streams);
        }
        FrozenAt f = freezeAndCatchUp(c, sourceFreeze, forwardSpec, cutover, streams);
        if (!f.caughtUp().reached()) {
            return abort(c, context, f.at(), f.caughtUp(), f.frozenAt(), cutover);
        }
        long frozenAt = f.frozenAt();
        WritesFrozen frozen = f.frozen();
        SourcePosition at = f.at();

        SequenceSyncResult sequences = cutover.syncSequences(new SequenceSyncRequest(source, forward.from().table(),
                forward.to().connection(), forward.to().table(), Map.of(), c.sequenceMargin()));
        stopForward(forward, forwardSpec, runbookWorkflow, streams);

        StreamStep reverse = reverseOf(c, forward);
        StreamSpec reverseSpec = StreamRunner.spec(reverse, runKey);
        String reverseWorkflow = StreamRunner.workflowId(runbookWorkflow, reverse.id());
        if (c.reverse()) {
            registerReverseDrop(context, reverse, reverseSpec, reverseWorkflow);
            Workflow.newActivityStub(StreamActivities.class, StepOptions.shortStep()).startStream(reverseSpec);
        }
        boolean launchAfterThaw = Workflow.getVersion(LAUNCH_AFTER_THAW_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (c.reverse() && !launchAfterThaw) {
            StreamRunner.launch(reverse, reverseSpec, reverseWorkflow, runbookWorkflow, context);
        }

        registerUndoOfFlip(c, context, forward, reverse, reverseSpec, reverseWorkflow);
        for (FlagStep flag : c.flags()) {
            flags.setFlag(new FlagChange(context.key(flag), flag.connection(), flag.name(), flag.percent(), runKey));
        }
        // An application that read the old flag just before the flip writes to the source until its cache expires:
        // the freeze refuses those writes, and it retries on the target.
        Workflow.sleep(c.settle());
        WritesThawed thawed = cutover.thawWrites(new ThawRequest(sourceFreeze, source));
        long unavailable = Workflow.currentTimeMillis() - frozenAt;
        if (c.reverse() && launchAfterThaw) {
            StreamRunner.launch(reverse, reverseSpec, reverseWorkflow, runbookWorkflow, context);
        }
        // The forward stream's slot would keep the source's WAL for nobody until the runbook ends.
        String forwardDropped = streams.dropStream(forwardSpec).summary();
        log.info("runbook={} step={} switched {} to {}: writes frozen {} ms (freeze waited for {}), caught up at {},"
                        + " {}; {}; reverse stream {}; forward stream {}", context.request().runbook(), c.id(),
                forward.from(),
                forward.to(), unavailable, frozen.waitedFor().isEmpty() ? "no transaction" : frozen.waitedFor(),
                at.position(), sequences, thawed.summary(), c.reverse() ? reverseWorkflow : "none", forwardDropped);
        context.tell(PhaseEvent.completed(phase, c.id(), 0, null));
        return null;
    }


    /**
     * The switch with its calls inside the freeze made as local activities (see {@link FreezeWindow}): the reverse
     * stream's drop and the switch back are registered before the freeze, and the forward stream is told to stop
     * without waiting (it has applied everything up to the freeze and nothing more comes while the source is frozen;
     * it has stopped before the thaw, so it never applies a write the reverse stream brings back). With a reverse
     * stream no trip through the server falls between the freeze and the flip; without one, each flag's restore is
     * registered there, before the first flag flips.
     */
    private static PhaseResult switchLocally(CutoverStep c, StepContext context, StreamSpec forwardSpec,
                                             StreamActivities streams) {
        String phase = context.phaseName();
        String runKey = context.request().runKey();
        String runbookWorkflow = StreamRunner.runbookWorkflow();
        StreamStep forward = c.resolved();
        String sourceFreeze = context.key(c) + "/source";
        String source = forward.from().connection();
        StreamStep reverse = reverseOf(c, forward);
        StreamSpec reverseSpec = StreamRunner.spec(reverse, runKey);
        String reverseWorkflow = StreamRunner.workflowId(runbookWorkflow, reverse.id());
        if (c.reverse()) {
            // Both undos are registered before the freeze, so no trip to the runbook falls inside it. Neither does
            // anything for a switch that never started its reverse stream (an abort, or a rollback before it): the
            // drop drops nothing, and the switch back finds no reverse stream and says nothing was switched, which is
            // true, since the flags flip only after the reverse stream's start.
            registerReverseDrop(context, reverse, reverseSpec, reverseWorkflow);
            registerUndoOfFlip(c, context, forward, reverse, reverseSpec, reverseWorkflow);
        }
        CutoverActivities cutover = FreezeWindow.cutover(StepOptions.FORWARD_RETRIES);
        StreamActivities frozenStreams = FreezeWindow.streams(c.catchUp().toMillis(), StepOptions.FORWARD_RETRIES);
        FlagActivities flags = FreezeWindow.flags(StepOptions.FORWARD_RETRIES);

        FrozenAt f = freezeAndCatchUp(c, sourceFreeze, forwardSpec, cutover, frozenStreams);
        if (!f.caughtUp().reached()) {
            return abort(c, context, f.at(), f.caughtUp(), f.frozenAt(), cutover);
        }
        long frozenAt = f.frozenAt();
        WritesFrozen frozen = f.frozen();
        SourcePosition at = f.at();
        // The sequences and the reverse stream's start position are independent: both at once.
        Promise<SequenceSyncResult> synced = Async.function(cutover::syncSequences, new SequenceSyncRequest(source,
                forward.from().table(), forward.to().connection(), forward.to().table(), Map.of(),
                c.sequenceMargin()));
        Promise<Void> forwardStopped = stopForwardAsync(forward, forwardSpec, runbookWorkflow, streams);
        if (c.reverse()) {
            frozenStreams.startStream(reverseSpec);
        }
        SequenceSyncResult sequences = synced.get();
        if (!c.reverse()) {
            registerUndoOfFlip(c, context, forward, reverse, reverseSpec, reverseWorkflow);
        }
        for (FlagStep flag : c.flags()) {
            flags.setFlag(new FlagChange(context.key(flag), flag.connection(), flag.name(), flag.percent(), runKey));
        }
        long flippedAt = Workflow.currentTimeMillis();
        // An application that read the old flag just before the flip writes to the source until its cache expires:
        // the freeze refuses those writes, and it retries on the target.
        Workflow.sleep(c.settle());
        forwardStopped.get();
        WritesThawed thawed = cutover.thawWrites(new ThawRequest(sourceFreeze, source));
        long unavailable = Workflow.currentTimeMillis() - frozenAt;
        if (c.reverse()) {
            StreamRunner.launch(reverse, reverseSpec, reverseWorkflow, runbookWorkflow, context);
        }
        String forwardDropped = streams.dropStream(forwardSpec).summary();
        log.info("runbook={} step={} switched {} to {}: writes frozen {} ms, {} ms of them before the flags flipped"
                        + " (freeze waited for {}), caught up at {}, {}; {}; reverse stream {}; forward stream {}",
                context.request().runbook(), c.id(), forward.from(), forward.to(), unavailable, flippedAt - frozenAt,
                frozen.waitedFor().isEmpty() ? "no transaction" : frozen.waitedFor(), at.position(), sequences,
                thawed.summary(), c.reverse() ? reverseWorkflow : "none", forwardDropped);
        context.tell(PhaseEvent.switched(phase, c.id(), new WriteFreeze(c.id(), WriteFreeze.SWITCH, source,
                unavailable, flippedAt - frozenAt, Instant.ofEpochMilli(frozenAt + unavailable).toString())));
        return null;
    }

    /** The source frozen and the forward stream's catch-up to the position taken right after the freeze. */
    private record FrozenAt(long frozenAt, WritesFrozen frozen, SourcePosition at, AppliedWait caughtUp) {
    }

    private static FrozenAt freezeAndCatchUp(CutoverStep c, String sourceFreeze, StreamSpec forwardSpec,
                                             CutoverActivities cutover, StreamActivities streams) {
        long frozenAt = Workflow.currentTimeMillis();
        WritesFrozen frozen = cutover.freezeWrites(new FreezeRequest(sourceFreeze, c.resolved().from().connection(),
                c.freeze(), 0));
        SourcePosition at = streams.sourcePosition(forwardSpec);
        AppliedWait caughtUp = streams.awaitApplied(new AwaitApplied(forwardSpec, at.position(),
                c.catchUp().toMillis()));
        return new FrozenAt(frozenAt, frozen, at, caughtUp);
    }

    /** Registers the reverse stream's drop: before its start, and in the local switch before the freeze. */
    private static void registerReverseDrop(StepContext context, StreamStep reverse, StreamSpec reverseSpec,
                                            String reverseWorkflow) {
        context.tell(PhaseEvent.started(context.phaseName(), reverse.id(), new Compensation.DropStream(reverse.id(),
                reverseWorkflow, reverseSpec.streamId(), reverse.from(), reverse.to(), reverse.key())));
    }

    /** The reverse stream a switch starts: target to source, on the forward stream's key. */
    private static StreamStep reverseOf(CutoverStep c, StreamStep forward) {
        return new StreamStep(c.id() + "-reverse", forward.to(), forward.from(), forward.key(), List.of());
    }

    /**
     * Registers what undoes the flags' flip, before the first flag flips: with a reverse stream the switch back, else
     * each flag's restore.
     */
    private static void registerUndoOfFlip(CutoverStep c, StepContext context, StreamStep forward, StreamStep reverse,
                                           StreamSpec reverseSpec, String reverseWorkflow) {
        List<FlagRestore> restores = new ArrayList<>();
        for (FlagStep flag : c.flags()) {
            restores.add(new FlagRestore(context.key(flag), flag.connection(), flag.name(),
                    context.request().runKey()));
        }
        if (c.reverse()) {
            context.tell(PhaseEvent.started(context.phaseName(), c.id() + "/switched", new Compensation.SwitchBack(
                    c.id(), reverseWorkflow, reverseSpec.streamId(), reverse.from(), reverse.to(), reverse.key(),
                    context.key(c) + "/target", List.of(forward.to().table()), restores, c.catchUp().toMillis(),
                    c.settle().toMillis())));
        } else {
            for (FlagRestore restore : restores) {
                context.tell(PhaseEvent.started(context.phaseName(), c.id() + "/" + restore.name(),
                        new Compensation.RestoreFlag(c.id(), restore)));
            }
        }
    }

    /** A catch-up that did not finish in time: thaws the source and fails the step with what it measured. */
    private static PhaseResult abort(CutoverStep c, StepContext context, SourcePosition at, AppliedWait caughtUp,
                                     long frozenAt, CutoverActivities cutover) {
        String source = c.resolved().from().connection();
        WritesThawed thawed = cutover.thawWrites(new ThawRequest(context.key(c) + "/source", source));
        String why = String.format(Locale.ROOT, "aborted on its own: stream %s did not apply up to %s within %s"
                        + " (applied up to %s, %.1f s behind); writes resumed on %s after %d ms frozen (%s);"
                        + " nothing was switched, retry when the stream has caught up", c.stream(), at.position(),
                c.catchUp(), caughtUp.lag().appliedPosition(), caughtUp.lag().lagSeconds(), source,
                Workflow.currentTimeMillis() - frozenAt, thawed.summary());
        log.warn("runbook={} step={} {}", context.request().runbook(), c.id(), why);
        return new PhaseResult(PhaseOutcome.FAILED, c.id(), why);
    }

    /** Waits until the stream is under {@code maxLag}; returns how far behind it still is when it never got there. */
    private static String preCheck(CutoverStep c, StreamSpec spec, StreamActivities lag) {
        long deadline = Workflow.currentTimeMillis() + CutoverStep.PRE_CHECK_WITHIN.toMillis();
        double max = c.maxLag().toMillis() / 1000.0;
        while (true) {
            StreamLag now = lag.streamLag(spec);
            if (now.lagSeconds() >= 0 && now.lagSeconds() < max) {
                return null;
            }
            if (Workflow.currentTimeMillis() >= deadline) {
                return now.lagSeconds() < 0 ? "has not reported its lag"
                        : String.format(Locale.ROOT, "is %.1f s behind after %s (must be under %s)", now.lagSeconds(),
                        CutoverStep.PRE_CHECK_WITHIN, c.maxLag());
            }
            Workflow.sleep(PRE_CHECK_EVERY);
        }
    }

    /**
     * The forward stream has applied everything up to the freeze, and nothing more comes while it holds: it stops
     * here (its slot is dropped when the runbook ends), so the reverse stream never sees its writes as new ones.
     */
    private static void stopForward(StreamStep forward, StreamSpec spec, String runbookWorkflow,
                                    StreamActivities streams) {
        try {
            Workflow.newExternalWorkflowStub(StreamWorkflow.class,
                    StreamRunner.workflowId(runbookWorkflow, forward.id())).stop("switched by the cutover");
        } catch (io.temporal.workflow.SignalExternalWorkflowException | io.temporal.failure.ApplicationFailure e) {
            log.info("stream {} had ended already", forward.id());
        }
        streams.stopStream(spec);
    }

    /**
     * Like {@link #stopForward}, without waiting: the stop signal and the stop request go out together, and the
     * promise completes once both have.
     */
    private static Promise<Void> stopForwardAsync(StreamStep forward, StreamSpec spec, String runbookWorkflow,
                                                  StreamActivities streams) {
        StreamWorkflow stream = Workflow.newExternalWorkflowStub(StreamWorkflow.class,
                StreamRunner.workflowId(runbookWorkflow, forward.id()));
        Promise<Void> told = Async.procedure(stream::stop, "switched by the cutover").exceptionally(e -> {
            log.info("stream {} had ended already", forward.id());
            return null;
        });
        Promise<StreamLag> asked = Async.function(streams::stopStream, spec);
        return Promise.allOf(told, asked);
    }
}
