package org.runbooks.worker.it;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.runbook.RunbookWorkflowImpl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the histories of a finished run (the runbook and each phase it started) against the current workflow
 * code, checks that no credential is in them, and keeps them under target/histories so they can be promoted to the
 * replay corpus in workflows/src/test/resources.
 */
final class Histories {

    private Histories() {
    }

    /** Returns the workflow ids it replayed; a phase that never started has no history and is left out. */
    static List<String> replayAndKeep(TemporalCli temporal, TestServices services, String label, String workflowId,
                                      List<String> phases) throws Exception {
        Path dir = Path.of("target", "histories");
        Files.createDirectories(dir);
        List<String> ids = new ArrayList<>(List.of(workflowId));
        phases.forEach(phase -> ids.add(workflowId + "/" + phase));
        List<String> replayed = new ArrayList<>();
        for (String id : ids) {
            TemporalCli.Result shown = temporal.tryRun(OrdersToV2EndToEndIT.SHOW.formatted(id));
            if (shown.exitCode() != 0) {
                continue;
            }
            assertThat(shown.output()).as("no credential in the history of " + id)
                    .doesNotContain(services.pgPassword());
            WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(shown.output());
            WorkflowReplayer.replayWorkflowExecution(history, RunbookWorkflowImpl.class, PhaseWorkflowImpl.class,
                    org.runbooks.stream.StreamWorkflowImpl.class);
            Files.writeString(dir.resolve(label + "-" + id.replace('/', '-') + ".json"), shown.output());
            replayed.add(id);
        }
        return replayed;
    }
}
