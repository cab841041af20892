package org.runbooks.runbook;

import org.junit.jupiter.api.Test;
import org.runbooks.api.FailureView;
import org.runbooks.api.GateView;
import org.runbooks.api.Knobs;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.ui.CurrentDetails;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands that {@code status} and the Current Details print for an operator to paste. The Temporal CLI prints a
 * query result as JSON with HTML escaping, so a {@code <}, {@code >} or {@code &} in a command reaches the operator
 * as a unicode escape and the command can no longer be pasted.
 */
class PastableCommandsTest {

    @Test
    void commandsThatStatusAndCurrentDetailsPrintHoldNoCharacterTheCliEscapes() {
        GateBook gates = new GateBook();
        gates.open("gate", new GateStep("go-no-go", List.of("orders-owner"), 1, null, GateTimeoutPolicy.ROLLBACK));
        GateView gate = gates.view("wf-1");
        FailureView failure = FailureView.of("wf-1", "canary", "flip", "lock timeout");
        RunbookStatus paused = new RunbookStatus("orders-to-v2", RunbookState.PAUSED, "backfill", "copy-orders", 0, 4,
                0, gate, List.of(), List.of(), null, Knobs.initial().pause("carol", "lag"), List.of(), failure, null,
                null);
        List<String> commands = new ArrayList<>(List.of(gate.approveCommand(), gate.rejectCommand(),
                failure.retryCommand(), failure.skipCommand(), failure.rollbackCommand()));
        CurrentDetails.render("wf-1", paused).lines().filter(l -> l.contains("temporal workflow"))
                .forEach(commands::add);

        assertThat(commands).hasSizeGreaterThanOrEqualTo(8).allSatisfy(command -> assertThat(command)
                .doesNotContain("<").doesNotContain(">").doesNotContain("&")
                .contains("\"by\":\"YOU\""));
        assertThat(gate.approveCommand()).isEqualTo("temporal workflow signal --workflow-id wf-1 --name approve "
                + "--input '{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'");
    }
}
