package org.runbooks.phase;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.CopyCarry;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.SliceProgress;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.ValidateStep;
import org.runbooks.notify.Notification;
import org.runbooks.notify.NotifyActivities;
import org.runbooks.step.PhaseEventPacer;
import org.runbooks.step.StepChanges;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.TroubleRelay;
import org.runbooks.validate.LiveComparison;
import org.runbooks.validate.ValidationActivities;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The phase as its step runners see it, and the state they share with it: the request, the knobs in force, the
 * latest validation, the gate verdict, where a continued run resumes, and the paced channel to the runbook.
 */
final class PhaseContext implements StepContext {

    private static final Logger log = Workflow.getLogger(PhaseContext.class);

    private final ValidationActivities validation =
            Workflow.newActivityStub(ValidationActivities.class, StepOptions.validation());
    private final NotifyActivities notifier =
            Workflow.newActivityStub(NotifyActivities.class, StepOptions.notification());
    private final TroubleRelay troubles = new TroubleRelay();
    private final PhaseEventPacer pacer = new PhaseEventPacer();

    private PhaseRequest request;
    private Knobs knobs = Knobs.initial();
    /** True from {@link StepChanges#SLICES} on. */
    private boolean slices;
    private PhaseContinuation continuation;
    /** The verdict of this phase's latest validation, or null when none ran yet. */
    private Boolean lastValidation;
    /** The gate verdict the runbook sent; null until it comes. */
    GateVerdict verdict;
    /** The index in the phase of the step that runs now. */
    int stepIndex;
    /** Hears what the running copy's slices have committed; null while no copy runs. */
    private Consumer<SliceProgress> sliceProgress;

    /** Takes the request; returns what the previous run carried (null on a first run). */
    PhaseCarry start(PhaseRequest request) {
        this.request = request;
        slices = Workflow.getVersion(StepChanges.SLICES, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (request.knobs() != null && request.knobs().version() > knobs.version()) {
            knobs = request.knobs();
        }
        continuation = new PhaseContinuation(request, slices);
        PhaseCarry carried = continuation.carried();
        if (carried != null) {
            knobs(carried.knobs());
            lastValidation = carried.lastValidation();
        }
        return carried;
    }

    /** The runbook's knobs signal: newer knobs win. */
    void knobs(Knobs next) {
        if (next.version() > knobs.version()) {
            knobs = next;
        }
    }

    /** An activity of the running step failed an attempt; the runbook hears of it once per spell. */
    void trouble(ActivityTrouble trouble) {
        if (request == null) {
            return;
        }
        PhaseEvent event = troubles.heard(request.runbook(), phaseName(), request.phase().steps().get(stepIndex).id(),
                trouble);
        if (event != null) {
            tell(event);
        }
    }

    /** A running slice committed chunks; dropped when no copy runs (a late report of a finished one). */
    void sliceProgress(SliceProgress progress) {
        if (sliceProgress != null) {
            sliceProgress.accept(progress);
        }
    }

    @Override
    public void onSliceProgress(Consumer<SliceProgress> listener) {
        sliceProgress = listener;
    }

    private void signalRunbook(PhaseEvent event) {
        String parent = Workflow.getInfo().getParentWorkflowId().orElse(null);
        if (parent != null) {
            Workflow.newExternalWorkflowStub(RunbookWorkflow.class, parent).phaseEvent(event);
        }
    }

    @Override
    public PhaseRequest request() {
        return request;
    }

    @Override
    public Knobs knobs() {
        return knobs;
    }

    @Override
    public boolean slices() {
        return slices;
    }

    @Override
    public void tell(PhaseEvent event) {
        troubles.telling(event);
        pacer.pace(event).forEach(this::signalRunbook);
    }

    @Override
    public void tellPaced(PhaseEvent event, Duration interval) {
        troubles.telling(event);
        pacer.pace(event, interval).forEach(this::signalRunbook);
    }

    @Override
    public PhaseCarry resumed() {
        return continuation.take();
    }

    @Override
    public boolean continueDue() {
        return continuation.due();
    }

    @Override
    public void continueAsNew(CopyCarry copy, long soakLeftMillis, int soakRound) {
        pacer.flushAll().forEach(this::signalRunbook);
        continuation.continueAsNew(() -> new PhaseCarry(stepIndex, knobs, lastValidation, copy, soakLeftMillis,
                soakRound));
    }

    @Override
    public ValidationReport compare(ValidateStep check) {
        if (check.liveStream() != null
                && Workflow.getVersion(LiveComparison.REVALIDATE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            return new LiveComparison(validation).compare(check, request().runKey());
        }
        return validation.compare(check);
    }

    @Override
    public Boolean lastValidation() {
        return lastValidation;
    }

    @Override
    public void validated(boolean passed) {
        lastValidation = passed;
    }

    @Override
    public GateVerdict verdict() {
        return verdict;
    }

    @Override
    public void awaitingVerdict() {
        verdict = null;
    }

    /** A webhook that stays down after the retries is logged; a notification never stops a migration. */
    @Override
    public void notify(String key, String webhook, String step, String message) {
        try {
            String status = notifier.notify(new Notification(key, webhook, request.runbook(), phaseName(), step,
                    message));
            log.info("runbook={} phase={} step={} notified {}: {}", request.runbook(), phaseName(), step, webhook,
                    status);
        } catch (ActivityFailure e) {
            log.warn("runbook={} phase={} step={} notification to {} not delivered: {}", request.runbook(),
                    phaseName(), step, webhook, PhaseWorkflowImpl.rootMessage(e));
        }
    }
}
