package org.runbooks.report;

import org.runbooks.api.CompensationRecord;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseTiming;
import org.runbooks.api.RollbackTiming;
import org.runbooks.api.StepTiming;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When each phase, step and rollback of a runbook started and ended, for the migration report. Pure state: the
 * workflow supplies every time (from {@code Workflow.currentTimeMillis()}), so replay rebuilds the same timeline.
 */
final class RunbookTimeline {

    private final Runbook runbook;
    /** Phases that ended in earlier runs of a runbook that continued as new. */
    private final List<PhaseTiming> earlier = new ArrayList<>();
    private final Map<String, PhaseClock> phases = new LinkedHashMap<>();
    private final List<RollbackTiming> rollbacks = new ArrayList<>();
    private RollbackClock rollback;

    RunbookTimeline(Runbook runbook) {
        this.runbook = runbook;
    }

    /** Takes back the phases and rollbacks that earlier runs timed. */
    void restore(List<PhaseTiming> endedPhases, List<RollbackTiming> endedRollbacks) {
        earlier.addAll(endedPhases);
        rollbacks.addAll(endedRollbacks);
    }

    void phaseStarted(Phase phase, long at) {
        phases.put(phase.name(), new PhaseClock(phase, at));
    }

    /** Ends the phase; a step still open ends with it, taking the phase's outcome. */
    void phaseEnded(String phase, PhaseOutcome outcome, boolean stoppedForRollback, long at) {
        PhaseClock clock = phases.get(phase);
        if (clock == null) {
            return;
        }
        clock.endWithOpenSteps(outcome.name(),
                stoppedForRollback ? "stopped" : outcome.name().toLowerCase(Locale.ROOT), at);
    }

    /** Ends a phase that a cancel of the runbook stopped, and its open steps (a waiting gate), as cancelled. */
    void phaseCancelled(String phase, long at) {
        PhaseClock clock = phases.get(phase);
        if (clock != null && clock.end == null) {
            clock.endWithOpenSteps("CANCELLED", "cancelled", at);
        }
    }

    /** Reads the step events the phases send: started (a gate starts when it opens), completed, failed. */
    void record(PhaseEvent event, long at) {
        PhaseClock phase = phases.get(event.phase());
        if (phase == null) {
            return;
        }
        switch (event) {
            case PhaseEvent.StepStarted e -> phase.steps.put(e.step(), new StepClock(kindOf(e.step()), at));
            case PhaseEvent.GateOpened e -> phase.steps.put(e.step(), new StepClock(kindOf(e.step()), at));
            case PhaseEvent.StepCompleted e -> phase.end(e.step(), "completed", at);
            case PhaseEvent.StepFailed e -> phase.end(e.step(), "failed", at);
            case PhaseEvent.GateTimedOut e -> {
                if (!e.proceeds()) {
                    phase.end(e.step(), "rejected", at);
                }
            }
            default -> {
            }
        }
    }

    void rollbackStarted(String domain, String reason, long at) {
        rollback = new RollbackClock(domain, reason, at);
    }

    /** The rollback that is running now, ended; returns how long it took in milliseconds (0 when none ran). */
    long rollbackEnded(List<CompensationRecord> log, long at) {
        if (rollback == null) {
            return 0;
        }
        long millis = at - rollback.start;
        int failed = (int) log.stream().filter(r -> !r.succeeded()).count();
        rollbacks.add(new RollbackTiming(rollback.domain, rollback.reason, iso(rollback.start), iso(at), millis,
                log.size(), failed));
        rollback = null;
        return millis;
    }

    List<PhaseTiming> phases() {
        List<PhaseTiming> all = new ArrayList<>(earlier);
        phases.values().forEach(clock -> all.add(clock.timing()));
        return List.copyOf(all);
    }

    List<RollbackTiming> rollbacks() {
        return List.copyOf(rollbacks);
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** The kind as the runbook writes it: {@code BackfillStep} is {@code backfill}. */
    private String kindOf(String stepId) {
        return runbook.step(stepId).map(s -> s.kind().text()).orElse("unknown");
    }

    private static final class PhaseClock {
        final String name;
        final String domain;
        final long start;
        Long end;
        String outcome = "running";
        final Map<String, StepClock> steps = new LinkedHashMap<>();

        PhaseClock(Phase phase, long start) {
            this.name = phase.name();
            this.domain = phase.domain();
            this.start = start;
        }

        void endWithOpenSteps(String phaseOutcome, String stepOutcome, long at) {
            end = at;
            outcome = phaseOutcome;
            steps.values().stream().filter(s -> s.end == null).forEach(s -> {
                s.end = at;
                s.outcome = stepOutcome;
            });
        }

        void end(String step, String outcome, long at) {
            StepClock clock = steps.get(step);
            if (clock != null) {
                clock.end = at;
                clock.outcome = outcome;
            }
        }

        PhaseTiming timing() {
            List<StepTiming> timings = new ArrayList<>();
            steps.forEach((id, s) -> timings.add(new StepTiming(id, s.kind, iso(s.start),
                    s.end == null ? null : iso(s.end), s.outcome, s.end == null ? 0 : s.end - s.start)));
            return new PhaseTiming(name, domain, iso(start), end == null ? null : iso(end), outcome,
                    end == null ? 0 : end - start, timings);
        }
    }

    private static final class StepClock {
        final String kind;
        final long start;
        Long end;
        String outcome = "running";

        StepClock(String kind, long start) {
            this.kind = kind;
            this.start = start;
        }
    }

    private record RollbackClock(String domain, String reason, long start) {
    }
}
