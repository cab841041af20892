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
        gates.open("gate", new GateStep("go-no-go", List.of("orders-owner"), 1, null, GateTimeoutPolicy.ROLLBACK), "sha256:0");
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

    @Test
    void theSignedCommandsSignTheStatementAndHoldNoCharacterTheCliEscapes() {
        GateBook gates = new GateBook();
        gates.open("gate", new GateStep("go-no-go", List.of("alice", "bob"), 2, null, GateTimeoutPolicy.ROLLBACK,
                false, null, true), "sha256:ab");
        GateView gate = gates.view("wf-1");

        assertThat(gate.signed()).isTrue();
        assertThat(gate.approveStatement()).isEqualTo("runbook-approval/v1 workflow=wf-1 gate=go-no-go "
                + "decision=approve opening=1 evidence=sha256:ab");
        assertThat(gate.rejectStatement()).contains("decision=reject");
        assertThat(gate.approveCommand()).isEqualTo("temporal workflow update execute --workflow-id wf-1 --name "
                + "approveGate --input \"{\\\"gate\\\":\\\"go-no-go\\\",\\\"by\\\":\\\"YOU\\\",\\\"comment\\\":\\\"WHY\\\","
                + "\\\"signature\\\":\\\"$(printf '%s' '" + gate.approveStatement() + "' | ssh-keygen -Y sign -n "
                + "runbook-approval -f ~/.ssh/id_ed25519 | grep -v -- ----- | tr -d '\\n')\\\"}\"");
        assertThat(List.of(gate.approveCommand(), gate.rejectCommand())).allSatisfy(command -> assertThat(command)
                .doesNotContain("<").doesNotContain(">").doesNotContain("&"));
    }
}
