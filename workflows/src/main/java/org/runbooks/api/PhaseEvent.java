package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.runbooks.model.GateStep;

/**
 * What a phase tells its runbook, through the {@code phaseEvent} signal: one record per kind, each with only the
 * fields its kind uses. The JSON keeps the shape histories hold: a {@code kind} field names the record, and the
 * other fields keep their names. Events recorded before this type was sealed carry every field of every kind
 * (mostly null); each record reads the ones it has and ignores the rest.
 *
 * <p>A step's compensation travels with its {@link StepStarted} event, before the step's first call, so the runbook
 * can undo a step that fails half-way.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PhaseEvent.StepStarted.class, name = "STEP_STARTED"),
    @JsonSubTypes.Type(value = PhaseEvent.StepCompleted.class, name = "STEP_COMPLETED"),
    @JsonSubTypes.Type(value = PhaseEvent.GateOpened.class, name = "GATE_OPENED"),
    @JsonSubTypes.Type(value = PhaseEvent.Evidence.class, name = "EVIDENCE"),
    @JsonSubTypes.Type(value = PhaseEvent.GateTimedOut.class, name = "GATE_TIMED_OUT"),
    @JsonSubTypes.Type(value = PhaseEvent.StepFailed.class, name = "STEP_FAILED"),
    @JsonSubTypes.Type(value = PhaseEvent.Progress.class, name = "PROGRESS"),
    @JsonSubTypes.Type(value = PhaseEvent.Throttle.class, name = "THROTTLE"),
    @JsonSubTypes.Type(value = PhaseEvent.Trouble.class, name = "TROUBLE"),
    @JsonSubTypes.Type(value = PhaseEvent.StreamReport.class, name = "STREAM"),
})
public sealed interface PhaseEvent {

    /** The phase that tells. */
    String phase();

    /** The step the event is about. */
    String step();

    /** Which kind this is: the {@code kind} field of the JSON. */
    Kind kind();

    enum Kind {
        STEP_STARTED, STEP_COMPLETED, GATE_OPENED, EVIDENCE, GATE_TIMED_OUT, STEP_FAILED, PROGRESS, THROTTLE, TROUBLE,
        STREAM
    }

    /** A step is about to make its first call; {@code compensation} (null: none) undoes it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StepStarted(String phase, String step, Compensation compensation) implements PhaseEvent {
        public Kind kind() {
            return Kind.STEP_STARTED;
        }
    }

    /**
     * A step completed: {@code rowsCopied} by a backfill, {@code evidence} (null: none) of a validation,
     * {@code freeze} (null: none, and in events recorded before it existed) the write freeze of a switch.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StepCompleted(String phase, String step, long rowsCopied, ValidationReport evidence, WriteFreeze freeze)
            implements PhaseEvent {

        public StepCompleted(String phase, String step, long rowsCopied, ValidationReport evidence) {
            this(phase, step, rowsCopied, evidence, null);
        }

        public Kind kind() {
            return Kind.STEP_COMPLETED;
        }
    }

    /** A gate opened and waits for its approvers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GateOpened(String phase, String step, GateStep gate) implements PhaseEvent {
        public Kind kind() {
            return Kind.GATE_OPENED;
        }
    }

    /** A report from a step that is still running, such as a re-validation during a soak. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Evidence(String phase, String step, ValidationReport evidence) implements PhaseEvent {
        public Kind kind() {
            return Kind.EVIDENCE;
        }
    }

    /**
     * A gate's timeout ran out and its policy decided: {@code proceed} says which way, {@code detail} why. Events
     * recorded before {@code proceed} existed have it null and say which way as a {@code "proceed: "} or
     * {@code "reject: "} prefix of {@code detail}; {@link #proceeds()} and {@link #reason()} read both.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GateTimedOut(String phase, String step, GateStep gate, String detail, Boolean proceed)
            implements PhaseEvent {

        private static final String PROCEED = "proceed: ";
        private static final String REJECT = "reject: ";

        public Kind kind() {
            return Kind.GATE_TIMED_OUT;
        }

        /** True when the policy let the runbook go on. */
        public boolean proceeds() {
            return proceed != null ? proceed : detail != null && detail.startsWith(PROCEED);
        }

        /** Why the gate went the way it did, without the verdict. */
        public String reason() {
            if (proceed != null || detail == null) {
                return detail;
            }
            String prefix = detail.startsWith(PROCEED) ? PROCEED : detail.startsWith(REJECT) ? REJECT : "";
            return detail.substring(prefix.length());
        }

        /** The verdict and the reason in one line, as the audit trail writes it: {@code proceed: gate go timed ...}. */
        public String verdict() {
            return (proceeds() ? PROCEED : REJECT) + reason();
        }
    }

    /** A step with {@code onFailure: pause} failed after its retries; {@code detail} says why. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StepFailed(String phase, String step, String detail) implements PhaseEvent {
        public Kind kind() {
            return Kind.STEP_FAILED;
        }
    }

    /** A running backfill passed another whole percent. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Progress(String phase, String step, BackfillProgress progress) implements PhaseEvent {
        public Kind kind() {
            return Kind.PROGRESS;
        }
    }

    /** A running backfill's throttle probe held it back, let it go, or changed its chunk size. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Throttle(String phase, String step, ThrottleView throttle) implements PhaseEvent {
        public Kind kind() {
            return Kind.THROTTLE;
        }
    }

    /** A running step's activity failed an attempt because something it needs cannot be reached; it retries. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Trouble(String phase, String step, StepTrouble trouble) implements PhaseEvent {
        public Kind kind() {
            return Kind.TROUBLE;
        }
    }

    /**
     * A stream's workflow reports its state and lag; it outlives the phase that started it, so {@code phase} is the
     * phase of its step, not the one running now.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamReport(String phase, String step, StreamView stream) implements PhaseEvent {
        public Kind kind() {
            return Kind.STREAM;
        }
    }

    static PhaseEvent started(String phase, String step, Compensation compensation) {
        return new StepStarted(phase, step, compensation);
    }

    static PhaseEvent completed(String phase, String step, long rowsCopied, ValidationReport evidence) {
        return new StepCompleted(phase, step, rowsCopied, evidence);
    }

    /** A cutover completed: the switch, with its write freeze. */
    static PhaseEvent switched(String phase, String step, WriteFreeze freeze) {
        return new StepCompleted(phase, step, 0, null, freeze);
    }

    static PhaseEvent evidence(String phase, String step, ValidationReport evidence) {
        return new Evidence(phase, step, evidence);
    }

    static PhaseEvent failed(String phase, String step, String reason) {
        return new StepFailed(phase, step, reason);
    }

    /** The verdict as a boolean, the reason as it is. */
    static PhaseEvent gateTimedOut(String phase, GateStep gate, boolean proceed, String reason) {
        return new GateTimedOut(phase, gate.id(), gate, reason, proceed);
    }

    /** As phases sent it before the verdict was a boolean (for runs that began then): in a prefix of the detail. */
    static PhaseEvent gateTimedOutAsBefore(String phase, GateStep gate, boolean proceed, String reason) {
        return new GateTimedOut(phase, gate.id(), gate, (proceed ? "proceed: " : "reject: ") + reason, null);
    }

    static PhaseEvent gateOpened(String phase, GateStep gate) {
        return new GateOpened(phase, gate.id(), gate);
    }

    static PhaseEvent throttle(String phase, ThrottleView throttle) {
        return new Throttle(phase, throttle.step(), throttle);
    }

    static PhaseEvent progress(String phase, BackfillProgress progress) {
        return new Progress(phase, progress.step(), progress);
    }

    static PhaseEvent trouble(StepTrouble trouble) {
        return new Trouble(trouble.phase(), trouble.step(), trouble);
    }
}
