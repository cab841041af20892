package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.runbooks.api.StreamView;

import java.util.List;

/**
 * What a stream's workflow is started (or continued) with.
 *
 * @param runbook         the runbook's name, for logs
 * @param runbookWorkflow the runbook's workflow id: reports go there
 * @param phase           the phase of the stream's step
 * @param step            the stream step's id
 * @param spec            the stream itself
 * @param awaitsCopies    backfills to complete before it applies
 * @param copied          those of them that completed already
 * @param paused          whether the runbook was paused when this run started
 * @param historyLimit    events after which the workflow continues as new (null: {@link #DEFAULT_HISTORY_LIMIT})
 * @param last            the last report of the run before, on continue-as-new; null at first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamRequest(String runbook, String runbookWorkflow, String phase, String step, StreamSpec spec,
                            List<String> awaitsCopies, List<String> copied, boolean paused, Integer historyLimit,
                            StreamView last) {

    /** A stream polls its lag every few seconds; 2,000 events is about an hour of applying per run. */
    public static final int DEFAULT_HISTORY_LIMIT = 2_000;

    public StreamRequest {
        awaitsCopies = awaitsCopies == null ? List.of() : List.copyOf(awaitsCopies);
        copied = copied == null ? List.of() : List.copyOf(copied);
    }

    int limit() {
        return historyLimit == null ? DEFAULT_HISTORY_LIMIT : historyLimit;
    }

    StreamRequest continued(List<String> copiedNow, boolean pausedNow, StreamView lastNow) {
        return new StreamRequest(runbook, runbookWorkflow, phase, step, spec, awaitsCopies, copiedNow, pausedNow,
                historyLimit, lastNow);
    }
}
