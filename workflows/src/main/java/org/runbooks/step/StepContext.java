package org.runbooks.step;

import org.runbooks.api.CopyCarry;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.SliceProgress;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.Step;
import org.runbooks.model.ValidateStep;

import java.time.Duration;
import java.util.function.Consumer;

/** What a {@link StepRunner} gets from its phase: the request, the knobs, the runbook to tell, continue-as-new. */
public interface StepContext {

    /** The phase's input: runbook, run key, phase, who started it. */
    PhaseRequest request();

    /** The phase's name, as every event and log line names it. */
    default String phaseName() {
        return request().phase().name();
    }

    /** The idempotency key of {@code step}'s calls: the run key and the step id. */
    default String key(Step step) {
        return request().runKey() + "/" + step.id();
    }

    /** The operator's knobs in force now (they change while a step runs). */
    Knobs knobs();

    /** True from {@link StepChanges#SLICES} on: copies run as slices and timers carry summaries. */
    boolean slices();

    /**
     * Hands what the running copy's slices report they have committed ({@code sliceProgress} signals) to
     * {@code listener}; null stops that.
     */
    void onSliceProgress(Consumer<SliceProgress> listener);

    /** Tells the runbook, paced so that a long phase cannot fill the runbook's history. */
    void tell(PhaseEvent event);

    /** Tells a report of a running step, at most once per {@code interval} while it changes nothing. */
    void tellPaced(PhaseEvent event, Duration interval);

    /** What the previous run of this phase carried for the step it stopped in; null for a fresh start. Taken once. */
    PhaseCarry resumed();

    /** True when the phase's history is long enough to continue as new at the next safe point. */
    boolean continueDue();

    /** Continues the phase as new in the current step, carrying a copy's state or a soak's time left and rounds. */
    void continueAsNew(CopyCarry copy, long soakLeftMillis, int soakRound);

    /** The verdict of the phase's latest validation, or null when none ran yet in this phase. */
    Boolean lastValidation();

    /** Runs {@code check}'s comparison, as a validate step does (a wait's re-validation); the report is not judged. */
    ValidationReport compare(ValidateStep check);

    /** Records the verdict of a validation that just ran. */
    void validated(boolean passed);

    /** The gate verdict the runbook sent, or null while none came since {@link #awaitingVerdict()}. */
    GateVerdict verdict();

    /** Forgets any earlier verdict: a gate opens. */
    void awaitingVerdict();

    /**
     * Posts {@code message} about {@code step} to {@code webhook}, once per {@code key}; a webhook that stays down is
     * logged and never stops the phase.
     */
    void notify(String key, String webhook, String step, String message);
}
