package org.runbooks.cutover;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.ReverseStream;
import org.runbooks.api.WriteFreeze;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagChange;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.StreamStep;
import org.runbooks.sql.SqlActivities;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;
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
import java.util.stream.Collectors;

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

    /** The stages of a switch, as {@code status}, Current Details and the report name them. */
    static final String STAGE_PRE_CHECK = "pre-check";
    static final String STAGE_FREEZE = "freeze";
    static final String STAGE_CATCH_UP = "catch-up";
    static final String STAGE_REVERSE = "reverse stream";
    static final String STAGE_SEQUENCES = "sequences";
    static final String STAGE_FLIP = "flip";
    static final String STAGE_SETTLE = "settle";
    static final String STAGE_THAW = "thaw";

    /** How often the pre-check reads the stream's lag. */
    static final Duration PRE_CHECK_EVERY = Duration.ofSeconds(2);

    @Override
    public PhaseResult run(CutoverStep c, StepContext context) {
        String phase = context.phaseName();
        String runKey = context.request().runKey();
        String runbookWorkflow = StreamRunner.runbookWorkflow();
        List<SwitchedStream> switched = SwitchedStream.of(c, runKey, runbookWorkflow);
        StreamActivities streams = Workflow.newActivityStub(StreamActivities.class, StepOptions.heartbeatingStep());
        StreamActivities lag = Workflow.newActivityStub(StreamActivities.class, StepOptions.streamLag());
        SourceFreeze sources = new SourceFreeze(c, context);

        sources.registerThaw(context, c.id());
        StageClock clock = new StageClock();
        String behind = preCheck(c, switched, lag);
        if (behind != null) {
            return new PhaseResult(PhaseOutcome.FAILED, c.id(), "pre-check: " + behind
                    + "; nothing was frozen or switched");
        }

        if (Workflow.getVersion(FreezeWindow.LOCAL_SWITCH_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            clock.end(STAGE_PRE_CHECK);
            return switchLocally(c, context, switched, sources, streams, clock);
        }
        return switchThroughTaskQueue(c, context, switched.get(0), sources, streams, clock);
    }

    /** The switch of one stream as it ran before {@link FreezeWindow#LOCAL_SWITCH_CHANGE}: kept for replay. */
    private static PhaseResult switchThroughTaskQueue(CutoverStep c, StepContext context, SwitchedStream s,
                                                      SourceFreeze sources, StreamActivities streams,
                                                      StageClock clock) {
        String phase = context.phaseName();
        String runKey = context.request().runKey();
        String runbookWorkflow = StreamRunner.runbookWorkflow();
        CutoverActivities cutover = Workflow.newActivityStub(CutoverActivities.class, StepOptions.shortStep());
        FlagActivities flags = Workflow.newActivityStub(FlagActivities.class, StepOptions.writingStep());
        SourceFreeze.Calls calls = new SourceFreeze.Calls(cutover, flags,
                Workflow.newActivityStub(SqlActivities.class, StepOptions.writingStep()));
        StreamStep forward = s.forward();
        FrozenAt f = freezeAndCatchUp(c, List.of(s), sources, calls, streams, clock);
        if (!f.behind().isEmpty()) {
            return abort(c, context, f, sources, calls);
        }
        long frozenAt = f.frozenAt();

        SequenceSyncResult sequences = cutover.syncSequences(new SequenceSyncRequest(forward.from().connection(),
                forward.from().table(), forward.to().connection(), forward.to().table(), Map.of(),
                c.sequenceMargin()));
        stopForward(forward, s.forwardSpec(), runbookWorkflow, streams);

        if (c.reverse()) {
            registerReverseDrop(context, s);
            Workflow.newActivityStub(StreamActivities.class, StepOptions.shortStep()).startStream(s.reverseSpec());
        }
        boolean launchAfterThaw = Workflow.getVersion(LAUNCH_AFTER_THAW_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (c.reverse() && !launchAfterThaw) {
            StreamRunner.launch(s.reverse(), s.reverseSpec(), s.reverseWorkflow(), runbookWorkflow, context);
        }

        registerUndoOfFlip(c, context, List.of(s));
        for (FlagStep flag : c.flags()) {
            flags.setFlag(new FlagChange(context.key(flag), flag.connection(), flag.name(), flag.percent(), runKey));
        }
        // An application that read the old flag just before the flip writes to the source until its cache expires:
        // the freeze refuses those writes, and it retries on the target.
        Workflow.sleep(c.settle());
        String thawed = sources.thaw(calls);
        long unavailable = Workflow.currentTimeMillis() - frozenAt;
        if (c.reverse() && launchAfterThaw) {
            StreamRunner.launch(s.reverse(), s.reverseSpec(), s.reverseWorkflow(), runbookWorkflow, context);
        }
        // The forward stream's slot would keep the source's WAL for nobody until the runbook ends.
        String forwardDropped = streams.dropStream(s.forwardSpec()).summary();
        log.info("runbook={} step={} switched {} to {}: writes frozen {} ms (freeze waited for {}), caught up at {},"
                        + " {}; {}; reverse stream {}; forward stream {}", context.request().runbook(), c.id(),
                forward.from(), forward.to(), unavailable, waitedFor(f.frozen()), f.positions(), sequences, thawed,
                c.reverse() ? s.reverseWorkflow() : "none", forwardDropped);
        context.tell(PhaseEvent.completed(phase, c.id(), 0, null));
        return null;
    }

    /**
     * The switch with its calls inside the freeze made as local activities (see {@link FreezeWindow}): the reverse
     * streams' drops and the switch back are registered before the freeze, and the forward streams are told to stop
     * without waiting (they have applied everything up to the freeze and nothing more comes while the source is
     * frozen; they have stopped before the thaw, so none applies a write a reverse stream brings back). With reverse
     * streams no trip through the server falls between the freeze and the flip; without them, each flag's restore is
     * registered there, before the first flag flips. Several streams switch together: every source table frozen,
     * every stream caught up within the one {@code catchUp}, one flip, one thaw.
     */
    private static PhaseResult switchLocally(CutoverStep c, StepContext context, List<SwitchedStream> switched,
                                             SourceFreeze sources, StreamActivities streams,
                                             StageClock clock) {
        String phase = context.phaseName();
        String runKey = context.request().runKey();
        String runbookWorkflow = StreamRunner.runbookWorkflow();
        if (c.reverse()) {
            // Both undos are registered before the freeze, so no trip to the runbook falls inside it. Neither does
            // anything for a switch that never started its reverse streams (an abort, or a rollback before it): the
            // drop drops nothing, and the switch back finds no reverse stream and says nothing was switched, which is
            // true, since the flags flip only after the reverse streams' start.
            for (SwitchedStream s : switched) {
                registerReverseDrop(context, s);
            }
            registerUndoOfFlip(c, context, switched);
        }
        CutoverActivities cutover = FreezeWindow.cutover(StepOptions.FORWARD_RETRIES);
        StreamActivities frozenStreams = FreezeWindow.streams(c.catchUp().toMillis(), StepOptions.FORWARD_RETRIES);
        FlagActivities flags = FreezeWindow.flags(StepOptions.FORWARD_RETRIES);
        SourceFreeze.Calls calls = new SourceFreeze.Calls(cutover, flags,
                FreezeWindow.sql(StepOptions.FORWARD_RETRIES));

        clock.restart();
        FrozenAt f = freezeAndCatchUp(c, switched, sources, calls, frozenStreams, clock);
        if (!f.behind().isEmpty()) {
            return abort(c, context, f, sources, calls);
        }
        long frozenAt = f.frozenAt();
        // The sequences and the reverse streams' start positions are independent: all at once.
        List<Promise<SequenceSyncResult>> synced = new ArrayList<>();
        List<Promise<Void>> forwardStopped = new ArrayList<>();
        for (SwitchedStream s : switched) {
            StreamStep forward = s.forward();
            synced.add(Async.function(cutover::syncSequences, new SequenceSyncRequest(forward.from().connection(),
                    forward.from().table(), forward.to().connection(), forward.to().table(), Map.of(),
                    c.sequenceMargin())));
            forwardStopped.add(stopForwardAsync(forward, s.forwardSpec(), runbookWorkflow, streams));
        }
        if (c.reverse()) {
            for (SwitchedStream s : switched) {
                frozenStreams.startStream(s.reverseSpec());
            }
        }
        clock.end(STAGE_REVERSE);
        List<SequenceSyncResult> sequences = new ArrayList<>();
        long sequencesMillis = 0;
        for (Promise<SequenceSyncResult> p : synced) {
            sequences.add(p.get());
            sequencesMillis = Math.max(sequencesMillis, p.get().millis());
        }
        clock.end(STAGE_SEQUENCES, sequencesMillis);
        if (!c.reverse()) {
            registerUndoOfFlip(c, context, switched);
        }
        for (FlagStep flag : c.flags()) {
            flags.setFlag(new FlagChange(context.key(flag), flag.connection(), flag.name(), flag.percent(), runKey));
        }
        long flippedAt = Workflow.currentTimeMillis();
        clock.end(STAGE_FLIP);
        // An application that read the old flag just before the flip writes to the source until its cache expires:
        // the freeze refuses those writes, and it retries on the target.
        Workflow.sleep(c.settle());
        for (Promise<Void> p : forwardStopped) {
            p.get();
        }
        clock.end(STAGE_SETTLE);
        String thawed = sources.thaw(calls);
        long unavailable = Workflow.currentTimeMillis() - frozenAt;
        clock.end(STAGE_THAW);
        if (c.reverse()) {
            for (SwitchedStream s : switched) {
                StreamRunner.launch(s.reverse(), s.reverseSpec(), s.reverseWorkflow(), runbookWorkflow, context);
            }
        }
        List<String> forwardDropped = new ArrayList<>();
        for (SwitchedStream s : switched) {
            forwardDropped.add(streams.dropStream(s.forwardSpec()).summary());
        }
        log.info("runbook={} step={} switched {}: writes frozen {} ms, {} ms of them before the flags flipped"
                        + " (freeze waited for {}), caught up at {}, {}; {}; reverse streams {}; forward streams {}",
                context.request().runbook(), c.id(), switched.stream().map(s -> s.forward().from() + " to "
                        + s.forward().to()).toList(), unavailable, flippedAt - frozenAt, waitedFor(f.frozen()),
                f.positions(), sequences, thawed, c.reverse() ? switched.stream().map(SwitchedStream::reverseWorkflow)
                        .toList() : "none", forwardDropped);
        context.tell(PhaseEvent.switched(phase, c.id(), new WriteFreeze(c.id(), WriteFreeze.SWITCH,
                sources.frozenSides(), unavailable, flippedAt - frozenAt,
                Instant.ofEpochMilli(frozenAt + unavailable).toString(), clock.stages())));
        return null;
    }

    /** The sources frozen and every forward stream's catch-up to the position taken right after the freeze. */
    private record FrozenAt(long frozenAt, List<WritesFrozen> frozen, List<CatchUps.CaughtUp> caughtUp) {

        List<CatchUps.CaughtUp> behind() {
            return CatchUps.behind(caughtUp);
        }

        String positions() {
            return caughtUp.stream().map(u -> u.at().position()).collect(Collectors.joining(", "));
        }
    }

    private static FrozenAt freezeAndCatchUp(CutoverStep c, List<SwitchedStream> switched, SourceFreeze sources,
                                             SourceFreeze.Calls calls, StreamActivities streams,
                                             StageClock clock) {
        long frozenAt = Workflow.currentTimeMillis();
        List<WritesFrozen> frozen = sources.freeze(calls);
        clock.end(STAGE_FREEZE, frozen.stream().mapToLong(WritesFrozen::waitedMillis).sum());
        List<CatchUps.CaughtUp> caughtUp = CatchUps.await(switched.stream().map(s -> s.forward().id()).toList(),
                switched.stream().map(SwitchedStream::forwardSpec).toList(), c.catchUp().toMillis(), streams);
        clock.end(STAGE_CATCH_UP, caughtUp.stream().mapToLong(u -> u.applied().waitedMillis()).max().orElse(0));
        return new FrozenAt(frozenAt, frozen, caughtUp);
    }

    private static Object waitedFor(List<WritesFrozen> frozen) {
        List<String> waited = frozen.stream().flatMap(w -> w.waitedFor().stream()).toList();
        return waited.isEmpty() ? "no transaction" : waited;
    }

    /** Registers a reverse stream's drop: before its start, and in the local switch before the freeze. */
    private static void registerReverseDrop(StepContext context, SwitchedStream s) {
        StreamStep reverse = s.reverse();
        context.tell(PhaseEvent.started(context.phaseName(), reverse.id(), new Compensation.DropStream(reverse.id(),
                s.reverseWorkflow(), s.reverseSpec().streamId(), reverse.from(), reverse.to(), reverse.key())));
    }

    /**
     * Registers what undoes the flags' flip, before the first flag flips: with reverse streams the switch back (of
     * every stream at once), else each flag's restore.
     */
    private static void registerUndoOfFlip(CutoverStep c, StepContext context, List<SwitchedStream> switched) {
        List<FlagRestore> restores = new ArrayList<>();
        for (FlagStep flag : c.flags()) {
            restores.add(new FlagRestore(context.key(flag), flag.connection(), flag.name(),
                    context.request().runKey()));
        }
        if (c.reverse()) {
            SwitchedStream first = switched.get(0);
            List<ReverseStream> others = new ArrayList<>();
            for (SwitchedStream s : switched.subList(1, switched.size())) {
                others.add(new ReverseStream(s.reverseWorkflow(), s.reverseSpec().streamId(), s.reverse().from(),
                        s.reverse().to(), s.reverse().key()));
            }
            context.tell(PhaseEvent.started(context.phaseName(), c.id() + "/switched", new Compensation.SwitchBack(
                    c.id(), first.reverseWorkflow(), first.reverseSpec().streamId(), first.reverse().from(),
                    first.reverse().to(), first.reverse().key(), context.key(c) + "/target",
                    List.of(first.forward().to().table()), restores, c.catchUp().toMillis(), c.settle().toMillis(),
                    others)));
        } else {
            for (FlagRestore restore : restores) {
                context.tell(PhaseEvent.started(context.phaseName(), c.id() + "/" + restore.name(),
                        new Compensation.RestoreFlag(c.id(), restore)));
            }
        }
    }

    /** A catch-up that did not finish in time: thaws the sources and fails the step with what it measured. */
    private static PhaseResult abort(CutoverStep c, StepContext context, FrozenAt f, SourceFreeze sources,
                                     SourceFreeze.Calls calls) {
        String thawed = sources.thaw(calls);
        String why = String.format(Locale.ROOT, "aborted on its own: %s within %s; writes resumed on %s after %d ms"
                        + " frozen (%s); nothing was switched, retry when the stream%s caught up",
                f.behind().stream().map(CatchUps.CaughtUp::describe).collect(Collectors.joining("; ")), c.catchUp(),
                sources.frozenSides(), Workflow.currentTimeMillis() - f.frozenAt(), thawed,
                c.streams().size() == 1 ? " has" : "s have");
        log.warn("runbook={} step={} {}", context.request().runbook(), c.id(), why);
        return new PhaseResult(PhaseOutcome.FAILED, c.id(), why);
    }

    /**
     * Waits until every stream is under {@code maxLag}; returns which streams are still how far behind when they
     * never all got there.
     */
    private static String preCheck(CutoverStep c, List<SwitchedStream> switched, StreamActivities lag) {
        long deadline = Workflow.currentTimeMillis() + CutoverStep.PRE_CHECK_WITHIN.toMillis();
        double max = c.maxLag().toMillis() / 1000.0;
        while (true) {
            List<String> behind = new ArrayList<>();
            for (SwitchedStream s : switched) {
                StreamLag now = lag.streamLag(s.forwardSpec());
                if (now.lagSeconds() < 0 || now.lagSeconds() >= max) {
                    behind.add("stream " + s.forward().id() + " " + (now.lagSeconds() < 0 ? "has not reported its lag"
                            : String.format(Locale.ROOT, "is %.1f s behind after %s (must be under %s)",
                            now.lagSeconds(), CutoverStep.PRE_CHECK_WITHIN, c.maxLag())));
                }
            }
            if (behind.isEmpty()) {
                return null;
            }
            if (Workflow.currentTimeMillis() >= deadline) {
                return String.join("; ", behind);
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
