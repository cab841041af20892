package org.runbooks.runbook;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.PhaseResult;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every history recorded from a real run (the end-to-end tests keep them under worker/target/histories;
 * they are promoted here when a workflow changes) against the current workflow code. A change that would break a
 * runbook in flight fails here: guard it with {@code Workflow.getVersion}.
 */
class RecordedHistoryReplayTest {

    private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

    @Test
    void everyRecordedHistoryReplaysOnTheCurrentCode() throws Exception {
        List<Path> files = recorded();
        assertThat(files).as("recorded histories under " + HISTORIES).hasSizeGreaterThanOrEqualTo(17);
        for (Path file : files) {
            WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
            WorkflowReplayer.replayWorkflowExecution(history, RunbookWorkflowImpl.class, PhaseWorkflowImpl.class,
                    org.runbooks.stream.StreamWorkflowImpl.class);
        }
    }

    @Test
    void replayNoticesAWorkflowThatNoLongerMatchesItsHistory() throws Exception {
        Path approved = HISTORIES.resolve("v1-approved-orders-to-v2-backfill.json");
        WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(approved));
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        WorkflowReplayer.replayWorkflowExecution(history, DivergentPhaseWorkflow.class))
                .hasMessageContaining("NonDeterministicException");
    }

    private static List<Path> recorded() throws IOException {
        try (Stream<Path> files = Files.list(HISTORIES)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** A phase that skips its first step: exactly the kind of change replay must refuse. */
    public static class DivergentPhaseWorkflow extends PhaseWorkflowImpl {
        @Override
        public PhaseResult run(PhaseRequest request) {
            io.temporal.workflow.Workflow.sleep(java.time.Duration.ofSeconds(1));
            return super.run(request);
        }
    }
}
