package org.runbooks.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One unit of work inside a phase. The type is sealed so that every {@code switch} over it is exhaustive: a new
 * step type cannot be half-added. The type name travels in workflow history as {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BackfillStep.class, name = StepKind.Names.BACKFILL),
    @JsonSubTypes.Type(value = ValidateStep.class, name = StepKind.Names.VALIDATE),
    @JsonSubTypes.Type(value = FlagStep.class, name = StepKind.Names.FLAG),
    @JsonSubTypes.Type(value = SqlStep.class, name = StepKind.Names.SQL),
    @JsonSubTypes.Type(value = GateStep.class, name = StepKind.Names.GATE),
    @JsonSubTypes.Type(value = WaitStep.class, name = StepKind.Names.WAIT),
    @JsonSubTypes.Type(value = NotifyStep.class, name = StepKind.Names.NOTIFY),
    @JsonSubTypes.Type(value = StreamStep.class, name = StepKind.Names.STREAM),
    @JsonSubTypes.Type(value = CatchUpStep.class, name = StepKind.Names.CATCH_UP),
    @JsonSubTypes.Type(value = CutoverStep.class, name = StepKind.Names.CUTOVER),
})
public sealed interface Step permits BackfillStep, ValidateStep, FlagStep, SqlStep, GateStep, WaitStep,
        NotifyStep, StreamStep, CatchUpStep, CutoverStep {

    /** Unique within the runbook. */
    String id();

    /** Which kind of step this is; not a field of the JSON form, whose {@code type} already says it. */
    @JsonIgnore
    StepKind kind();
}
