package org.runbooks.api;

import org.runbooks.model.GateStep;

/**
 * What a phase tells its runbook, through the {@code phaseEvent} signal. A step's compensation travels with its
 * {@link Kind#STEP_STARTED} event, before the step's first call, so the runbook can undo a step that fails
 * half-way.
 */
public record PhaseEvent(Kind kind, String phase, String step, Compensation compensation, GateStep gate,
                         long rowsCopied, ValidationReport evidence, String detail, BackfillProgress progress,
                         ThrottleView throttle, StepTrouble trouble) {

    public PhaseEvent(Kind kind, String phase, String step, Compensation compensation, GateStep gate,
                      long rowsCopied, ValidationReport evidence, String detail, BackfillProgress progress,
                      ThrottleView throttle) {
        this(kind, phase, step, compensation, gate, rowsCopied, evidence, detail, progress, throttle, null);
    }

    public PhaseEvent(Kind kind, String phase, String step, Compensation compensation, GateStep gate,
                      long rowsCopied, ValidationReport evidence, String detail, BackfillProgress progress) {
        this(kind, phase, step, compensation, gate, rowsCopied, evidence, detail, progress, null);
    }

    public PhaseEvent(Kind kind, String phase, String step, Compensation compensation, GateStep gate,
                      long rowsCopied, ValidationReport evidence, String detail) {
        this(kind, phase, step, compensation, gate, rowsCopied, evidence, detail, null);
    }

    public enum Kind {
        STEP_STARTED, STEP_COMPLETED, GATE_OPENED,
        /** A report from a step that is still running, such as a re-validation during a soak. */
        EVIDENCE,
        /** A gate's timeout ran out and its policy decided; the reason says which way and why. */
        GATE_TIMED_OUT,
        /** A step with {@code onFailure: pause} failed after its retries; {@code detail} says why. */
        STEP_FAILED,
        /** A running backfill passed another whole percent; {@code progress} says where it stands. */
        PROGRESS,
        /** A running backfill's throttle probe held it back, let it go, or changed its chunk size. */
        THROTTLE,
        /** A running step's activity failed an attempt because something it needs cannot be reached; it retries. */
        TROUBLE
    }

    public static PhaseEvent started(String phase, String step, Compensation compensation) {
        return new PhaseEvent(Kind.STEP_STARTED, phase, step, compensation, null, 0, null, null);
    }

    public static PhaseEvent completed(String phase, String step, long rowsCopied, ValidationReport evidence) {
        return new PhaseEvent(Kind.STEP_COMPLETED, phase, step, null, null, rowsCopied, evidence, null);
    }

    public static PhaseEvent evidence(String phase, String step, ValidationReport evidence) {
        return new PhaseEvent(Kind.EVIDENCE, phase, step, null, null, 0, evidence, null);
    }

    public static PhaseEvent failed(String phase, String step, String reason) {
        return new PhaseEvent(Kind.STEP_FAILED, phase, step, null, null, 0, null, reason);
    }

    /** {@code detail} says which way the gate went and why; it starts with "proceed" or "reject". */
    public static PhaseEvent gateTimedOut(String phase, GateStep gate, boolean proceed, String reason) {
        return new PhaseEvent(Kind.GATE_TIMED_OUT, phase, gate.id(), null, gate, 0, null,
                (proceed ? "proceed: " : "reject: ") + reason);
    }

    public boolean proceeds() {
        return detail != null && detail.startsWith("proceed");
    }

    public static PhaseEvent gateOpened(String phase, GateStep gate) {
        return new PhaseEvent(Kind.GATE_OPENED, phase, gate.id(), null, gate, 0, null, null);
    }

    public static PhaseEvent throttle(String phase, ThrottleView throttle) {
        return new PhaseEvent(Kind.THROTTLE, phase, throttle.step(), null, null, 0, null, null, null, throttle);
    }

    public static PhaseEvent progress(String phase, BackfillProgress progress) {
        return new PhaseEvent(Kind.PROGRESS, phase, progress.step(), null, null, 0, null, null, progress);
    }

    public static PhaseEvent trouble(StepTrouble trouble) {
        return new PhaseEvent(Kind.TROUBLE, trouble.phase(), trouble.step(), null, null, 0, null, null, null, null,
                trouble);
    }
}
