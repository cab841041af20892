package org.runbooks.saga;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.ReverseStream;
import org.runbooks.api.WriteFreeze;
import org.runbooks.cutover.CatchUps;
import org.runbooks.cutover.FreezeWindow;
import org.runbooks.cutover.SequenceSyncRequest;
import org.runbooks.cutover.SequenceSyncResult;
import org.runbooks.cutover.StageClock;
import org.runbooks.cutover.TriggerFreezes;
import org.runbooks.cutover.WritesFrozen;
import org.runbooks.stream.StreamSpec;
import org.runbooks.step.StepOptions;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a {@link Compensation.SwitchBack}: the cutover in reverse. Freeze the target's writes, take the target's
 * position, let the reverse stream apply up to it, move the source's sequences past the target's (the rows the
 * application inserted on the target came back with the keys the target generated, so the source's own sequence,
 * still where the switch left it, would hand out those keys again), restore the flags (last flipped first), lift the
 * freeze, stop and drop the reverse stream. A reverse stream that does not catch up in time gets the freeze lifted
 * and another try, up to {@link #ATTEMPTS}; after that the switch back fails, the flags stay on the target, the
 * reverse stream keeps running, and nothing is lost: the application keeps writing to the target.
 */
final class SwitchBacks {

    private static final Logger log = Workflow.getLogger(SwitchBacks.class);

    static final int ATTEMPTS = 5;
    /**
     * The {@code Workflow.getVersion} change id that added the sequence move to the switch back; a switch back that
     * began before it replays without one.
     */
    static final String SEQUENCES_CHANGE = "switch-back-sequences";
    static final Duration BETWEEN_ATTEMPTS = Duration.ofSeconds(10);
    /** What a switch back says when the switch never got as far as its reverse stream: nothing had flipped. */
    static final String NOT_SWITCHED = "nothing to switch back: the switch had not started its reverse stream, so no"
            + " flag had flipped";

    private SwitchBacks() {
    }

    static CompensationRecord run(String runbook, Compensation.SwitchBack c, CompensationActivities acts) {
        List<StreamSpec> reverses = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ReverseStream r : c.reverseStreams()) {
            names.add(r.streamId().substring(r.streamId().lastIndexOf('/') + 1));
            reverses.add(new StreamSpec(r.streamId(), r.from().connection(), r.from().table(), r.to().connection(),
                    r.to().table(), r.key()));
        }
        TriggerFreezes targets = TriggerFreezes.of(c.targetFreezeId(), c.targetTablesByConnection());
        String target = targets.connections();
        String lastMiss = null;
        // The calls inside the target's freeze run as local activities (see FreezeWindow): no trip through the task
        // queue between the freeze and the thaw. The stream's stop and drop, after the thaw, keep their stubs.
        boolean local = Workflow.getVersion(FreezeWindow.LOCAL_SWITCH_BACK_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        CompensationActivities inFreeze = local ? new CompensationActivities(
                FreezeWindow.flags(StepOptions.COMPENSATION_RETRIES), acts.backfill(), acts.sql(),
                FreezeWindow.streams(c.catchUpMillis(), StepOptions.COMPENSATION_RETRIES),
                FreezeWindow.cutover(StepOptions.COMPENSATION_RETRIES)) : acts;
        try {
            if (local && !started(reverses, inFreeze)) {
                // Registered before the switch's freeze: a switch that aborted (or was rolled back) before it started
                // its reverse streams flipped no flag, so there is nothing to switch back and nothing to freeze.
                return new CompensationRecord(c.stepId(), c.describe(), true, NOT_SWITCHED);
            }
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                long frozenAt = Workflow.currentTimeMillis();
                StageClock clock = new StageClock();
                clock.end("freeze", targets.freeze(inFreeze.cutover()).stream().mapToLong(WritesFrozen::waitedMillis)
                        .sum());
                List<CatchUps.CaughtUp> caughtUp = CatchUps.await(names, reverses, c.catchUpMillis(), inFreeze.streams());
                clock.end("catch-up", caughtUp.stream().mapToLong(u -> u.applied().waitedMillis()).max().orElse(0));
                List<CatchUps.CaughtUp> behind = CatchUps.behind(caughtUp);
                if (behind.isEmpty()) {
                    String sequences = moveSequences(c, inFreeze, clock);
                    List<String> restored = new ArrayList<>();
                    List<FlagRestore> flags = c.flags();
                    for (int i = flags.size() - 1; i >= 0; i--) {
                        restored.add(inFreeze.flags().restoreFlag(flags.get(i)));
                    }
                    long restoredAt = Workflow.currentTimeMillis();
                    clock.end("flip");
                    if (c.settleMillis() > 0) {
                        // As at the switch: an application that cached the old flag is refused, not lost.
                        Workflow.sleep(Duration.ofMillis(c.settleMillis()));
                    }
                    clock.end("settle");
                    String thawed = targets.thaw(inFreeze.cutover());
                    long frozen = Workflow.currentTimeMillis() - frozenAt;
                    clock.end("thaw");
                    List<String> dropped = new ArrayList<>();
                    for (ReverseStream r : c.reverseStreams()) {
                        dropped.add(StreamStops.stopAndDrop(new Compensation.DropStream(c.stepId(), r.workflowId(),
                                r.streamId(), r.from(), r.to(), r.key()), acts.streams(), "switched back"));
                    }
                    String detail = String.format(Locale.ROOT, "switched back to %s: the reverse stream%s applied up"
                                    + " to %s, writes on %s frozen %d ms (%s);%s flags: %s; reverse stream%s: %s",
                            c.reverseStreams().stream().map(r -> r.to().toString()).collect(Collectors.joining(", ")),
                            reverses.size() == 1 ? "" : "s", caughtUp.stream().map(u -> u.at().position())
                                    .collect(Collectors.joining(", ")), target, frozen, thawed, sequences,
                            String.join("; ", restored), reverses.size() == 1 ? "" : "s", String.join("; ", dropped));
                    log.info("runbook={} step={} {}", runbook, c.stepId(), detail);
                    return new CompensationRecord(c.stepId(), c.describe(), true, detail, new WriteFreeze(c.stepId(),
                            WriteFreeze.SWITCH_BACK, target, frozen, restoredAt - frozenAt,
                            Instant.ofEpochMilli(frozenAt + frozen).toString(), clock.stages()));
                }
                targets.thaw(inFreeze.cutover());
                lastMiss = String.format(Locale.ROOT, "attempt %d: %s, within %d ms", attempt,
                        behind.stream().map(b -> "the reverse " + b.describe())
                                .collect(Collectors.joining("; ")), c.catchUpMillis());
                log.warn("runbook={} step={} switch back not caught up, writes on {} resumed: {}", runbook,
                        c.stepId(), target, lastMiss);
                Workflow.sleep(BETWEEN_ATTEMPTS);
            }
        } catch (ActivityFailure e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            return new CompensationRecord(c.stepId(), c.describe(), false, "switch back failed: " + reason
                    + "; the application stays on " + c.from() + " and the reverse stream keeps running");
        }
        return new CompensationRecord(c.stepId(), c.describe(), false, "the reverse stream did not catch up in "
                + ATTEMPTS + " attempts (" + lastMiss + "); the application stays on " + c.from()
                + ", writes flow there, and the reverse stream keeps running: nothing is lost");
    }

    /** Whether the switch started its reverse streams: it starts them all inside its freeze, before the flip. */
    private static boolean started(List<StreamSpec> reverses, CompensationActivities acts) {
        for (StreamSpec reverse : reverses) {
            if (acts.streams().streamLag(reverse).appliedPosition() == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sets each sequence of the source table past the target's, never lowering one, while the target is still frozen;
     * returns what moved, for the compensation log ("" for a switch back recorded before this step existed).
     */
    private static String moveSequences(Compensation.SwitchBack c, CompensationActivities acts, StageClock clock) {
        if (Workflow.getVersion(SEQUENCES_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
            clock.end("sequences");
            return "";
        }
        List<String> parts = new ArrayList<>();
        long millis = 0;
        for (ReverseStream r : c.reverseStreams()) {
            SequenceSyncResult moved = acts.cutover().syncSequences(new SequenceSyncRequest(r.from().connection(),
                    r.from().table(), r.to().connection(), r.to().table(), Map.of(), 0));
            millis += moved.millis();
            for (SequenceSyncResult.SequenceMove m : moved.columns()) {
                parts.add(String.format(Locale.ROOT, "%s.%s next %d -> %d", r.to().table(), m.column(),
                        m.targetBefore(), m.targetAfter()));
            }
        }
        clock.end("sequences", millis);
        return " sequences: " + (parts.isEmpty() ? "none" : String.join(", ", parts)) + ";";
    }
}
