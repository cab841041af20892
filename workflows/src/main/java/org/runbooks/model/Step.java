package org.runbooks.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One unit of work inside a phase. The type is sealed so that every {@code switch} over it is exhaustive: a new
 * step type cannot be half-added. The type name travels in workflow history as {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BackfillStep.class, name = "backfill"),
    @JsonSubTypes.Type(value = ValidateStep.class, name = "validate"),
    @JsonSubTypes.Type(value = FlagStep.class, name = "flag"),
    @JsonSubTypes.Type(value = SqlStep.class, name = "sql"),
    @JsonSubTypes.Type(value = GateStep.class, name = "gate"),
    @JsonSubTypes.Type(value = WaitStep.class, name = "wait"),
    @JsonSubTypes.Type(value = NotifyStep.class, name = "notify"),
})
public sealed interface Step permits BackfillStep, ValidateStep, FlagStep, SqlStep, GateStep, WaitStep,
        NotifyStep {

    /** Unique within the runbook. */
    String id();
}
