package org.runbooks.api;

import java.util.List;

/**
 * When one phase ran, how it ended and its steps in the order they started, in workflow time (ISO-8601, UTC).
 *
 * @param domain  the phase's domain, or null
 * @param outcome COMPLETED, FAILED or REJECTED as the phase returned it; {@code running} when the runbook ended first
 */
public record PhaseTiming(String phase, String domain, String startedAt, String endedAt, String outcome, long millis,
                          List<StepTiming> steps) {

    public PhaseTiming {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}
