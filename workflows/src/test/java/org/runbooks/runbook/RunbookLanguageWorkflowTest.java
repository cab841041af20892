package org.runbooks.runbook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Soaks with re-validation, notifications, per-domain rollback and per-step rate limits, on time-skipping Temporal. */
class RunbookLanguageWorkflowTest {

    /** Copy, validate, soak for an hour re-validating every 20 minutes, tell the channel, then flip the flag. */
    private static final String SOAK = """
            apiVersion: runbook/v1
            name: soak
            phases:
              - name: copy
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id], rowsPerSecond: 5000 }
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id], rowCount: { tolerance: 0 } }
              - name: canary
                steps:
                  - id: canary
                    flag: { connection: target, name: orders.read_v2, percent: 10 }
                  - id: soak
                    wait: { duration: PT1H, revalidate: parity, every: PT20M }
                  - id: tell
                    notify: { webhook: ops-channel, message: "canary soak passed" }
                  - id: cutover
                    flag: { connection: target, name: orders.read_v2, enabled: true }
            """;

    /** Two subject areas, each with its own copy and gate; a shared flag phase last. */
    private static final String TWO_DOMAINS = """
            apiVersion: runbook/v1
            name: two-domains
            phases:
              - name: customers-copy
                domain: customers
                steps:
                  - id: copy-customers
                    backfill: { from: { connection: legacy, table: customers }, to: { connection: target, table: customers }, key: [id] }
                  - id: customers-flag
                    flag: { connection: target, name: customers.read_v2, enabled: true }
              - name: customers-gate
                domain: customers
                steps:
                  - id: customers-go
                    gate: { approvers: [ann] }
              - name: orders-copy
                domain: orders
                steps:
                  - id: copy-orders
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders }, key: [id] }
                  - id: orders-flag
                    flag: { connection: target, name: orders.read_v2, enabled: true }
              - name: orders-gate
                domain: orders
                steps:
                  - id: orders-go
                    gate: { approvers: [bob] }
              - name: orders-cutover
                domain: orders
                steps:
                  - id: orders-write
                    flag: { connection: target, name: orders.write_v2, enabled: true }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void soakReValidatesOnItsIntervalAndThenTheRunbookGoesOn() {
        runbooks = new TimeSkippingRunbooks(SOAK);

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls).containsExactly("loadRunbook:runbooks/test.yaml", "planCopy:copy",
                "compare:parity", "setFlag:orders.read_v2=10", "compare:parity", "compare:parity", "compare:parity",
                "notify:tell", "setFlag:orders.read_v2=100");
        assertThat(result.evidence()).hasSize(4).allSatisfy(report -> assertThat(report.passed()).isTrue());
        assertThat(runbooks.activities().notify.notifications).singleElement().satisfies(n -> {
            assertThat(n.webhook()).isEqualTo("ops-channel");
            assertThat(n.message()).isEqualTo("canary soak passed");
            assertThat(n.idempotencyKey()).startsWith("rb-test/").endsWith("/tell");
            assertThat(n.phase()).isEqualTo("canary");
        });
    }

    @Test
    void driftDuringTheSoakRollsBackAtOnceWithoutWaitingOutTheRest() {
        runbooks = new TimeSkippingRunbooks(SOAK);
        runbooks.activities().validation.comparesBeforeFailure = 2;

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("re-validation 2 of parity during soak failed: "
                + "row counts differ (source 1000, target 999)");
        assertThat(runbooks.activities().calls).containsSubsequence("setFlag:orders.read_v2=10", "compare:parity",
                "compare:parity", "restoreFlag:orders.read_v2", "removeCopiedRows:copy");
        assertThat(runbooks.activities().calls).doesNotContain("notify:tell", "setFlag:orders.read_v2=100");
    }

    @Test
    void aWebhookThatStaysDownIsLoggedAndDoesNotStopTheRunbook() {
        runbooks = new TimeSkippingRunbooks(SOAK);
        runbooks.activities().notify.webhookDown = true;

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls.stream().filter("notify:tell"::equals)).hasSize(10);
        assertThat(runbooks.activities().calls).endsWith("setFlag:orders.read_v2=100");
    }

    @Test
    void theRunbooksRateLimitReachesTheCopyUntilAnOperatorTunesIt() {
        runbooks = new TimeSkippingRunbooks(SOAK);

        runbooks.result();

        assertThat(runbooks.activities().backfill.slices).singleElement()
                .satisfies(slice -> assertThat(slice.request().rowsPerSecond()).isEqualTo(5000));
    }

    @Test
    void rejectingTheSecondDomainRollsBackOnlyTheSecond() {
        runbooks = new TimeSkippingRunbooks(TWO_DOMAINS);
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        workflow.approve(new GateDecision("customers-go", "ann", "customers look right"));
        awaitGate("orders-go");

        workflow.reject(new GateDecision("orders-go", "bob", "orders totals drift"));
        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.PARTIALLY_ROLLED_BACK);
        assertThat(result.rolledBackDomains()).containsExactly("orders");
        assertThat(result.reason()).startsWith("domain orders rolled back: ");
        assertThat(result.compensations()).extracting(c -> c.stepId())
                .containsExactly("orders-flag", "copy-orders");
        assertThat(runbooks.activities().calls).doesNotContain("restoreFlag:customers.read_v2",
                "removeCopiedRows:copy-customers", "setFlag:orders.write_v2=100");
        assertThat(runbooks.workflow().status().state()).isEqualTo(RunbookState.PARTIALLY_ROLLED_BACK);
    }

    @Test
    void anOperatorRollbackAfterADomainRollbackUndoesTheRest() {
        runbooks = new TimeSkippingRunbooks(TWO_DOMAINS + """
                  - name: final-gate
                    steps:
                      - id: final-go
                        gate: { approvers: [carol] }
                """);
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        workflow.approve(new GateDecision("customers-go", "ann", "ok"));
        awaitGate("orders-go");
        workflow.reject(new GateDecision("orders-go", "bob", "drift"));
        awaitGate("final-go");

        workflow.rollback(new RollbackRequest("carol", "customers dashboards broke"));
        RunbookResult result = runbooks.resultOnceRolledBack();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.compensations()).extracting(c -> c.stepId())
                .containsExactly("orders-flag", "copy-orders", "customers-flag", "copy-customers");
    }

    private void awaitGate(String gate) {
        for (int i = 0; i < 200; i++) {
            RunbookStatus status = runbooks.workflow().status();
            if (status.gate() != null && status.gate().gate().equals(gate)) {
                return;
            }
            runbooks.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("gate " + gate + " never opened; last status " + runbooks.workflow().status());
    }
}
