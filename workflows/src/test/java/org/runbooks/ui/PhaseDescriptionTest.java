package org.runbooks.ui;

import org.junit.jupiter.api.Test;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.parse.RunbookParser;
import org.runbooks.runbook.RunbookWorkflowTest;

import static org.assertj.core.api.Assertions.assertThat;

/** How a phase child introduces itself in the Temporal UI, from the quick-start runbook. */
class PhaseDescriptionTest {

    private static Runbook orders() throws Exception {
        return new RunbookParser(null).parse(RunbookWorkflowTest.ordersRunbook(), "orders-to-v2.yaml");
    }

    @Test
    void summaryIsOneLineWithThePhasePosition() throws Exception {
        Runbook runbook = orders();

        assertThat(PhaseDescription.summary(runbook, runbook.phases().get(0)))
                .isEqualTo("orders-to-v2 · phase 1 of 4: backfill (1 step)");
    }

    @Test
    void detailsNameTheRunbookOwnerDescriptionAndEachStepWithItsKind() throws Exception {
        Runbook runbook = orders();

        String md = PhaseDescription.details(runbook, runbook.phases().get(2));

        assertThat(md).startsWith("**Runbook** orders-to-v2 · **owner** data-platform\n\n"
                + "Move orders from the legacy database to orders_v2 with near-zero downtime.\n\n"
                + "**Phase** gate (3 of 4)\n\n");
        assertThat(md).endsWith("1. `go-no-go` gate\n");
    }

    @Test
    void stepInProgressNamesTheStepAndItsPlace() throws Exception {
        Runbook runbook = orders();
        Phase cutover = runbook.phases().get(3);

        assertThat(PhaseDescription.stepInProgress("orders-to-v2", cutover, cutover.steps().get(0)))
                .isEqualTo("**orders-to-v2** · phase **cutover** · step 1 of 1: **read-v2** (flag)");
    }
}
