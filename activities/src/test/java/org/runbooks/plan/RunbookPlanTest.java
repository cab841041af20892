package org.runbooks.plan;

import org.junit.jupiter.api.Test;
import org.runbooks.model.Runbook;
import org.runbooks.parse.RunbookParser;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.FindingLevel;
import org.runbooks.preflight.PreflightReport;
import org.runbooks.preflight.RowEstimate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunbookPlanTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: customers-split
            owner: data-platform
            description: Split customers out of the legacy database.
            phases:
              - name: copy
                domain: customers
                steps:
                  - id: copy-customers
                    backfill:
                      from: { connection: legacy, query: "select id, name from customers where active" }
                      to: { connection: target, table: public.customers }
                      key: [id]
                      columns: { id: customer_id, name: full_name }
                      chunkRows: 5000
                      parallelism: 4
                      rowsPerSecond: 20000
                      onRollback: keep
                  - id: drop-staging
                    sql: { connection: target, apply: "drop table staging_customers", irreversible: true }
              - name: check
                domain: customers
                steps:
                  - id: parity
                    validate:
                      between: { source: legacy.customers, target: target.public.customers }
                      key: [id]
                      rowCount: { tolerance: 2 }
                      checksum: { columns: all }
                      kpis:
                        - name: active
                          source: { connection: legacy, sql: "select count(*) from customers" }
                          target: { connection: target, sql: "select count(*) from public.customers" }
                          tolerancePercent: 0.5
                      assertions:
                        - { name: no-nulls, connection: target, sql: "select count(*) from public.customers where full_name is null" }
                  - id: soak
                    wait: { duration: PT1H30M, revalidate: parity, every: PT15M }
                  - id: tell
                    notify: { webhook: ops, message: "customers copied" }
                  - id: go-no-go
                    gate: { approvers: [owner, dba], quorum: 2, timeout: P3D, onTimeout: keep-waiting }
              - name: cutover
                steps:
                  - id: read-new
                    flag: { connection: target, name: customers.read_new, percent: 25 }
                  - id: view
                    sql:
                      connection: target
                      apply: |
                        create view customers_all as
                          select * from public.customers
                      revert: drop view customers_all
                  - id: final
                    gate: { approvers: [owner] }
            """;

    private static final PreflightReport REPORT = new PreflightReport(
            List.of(new Finding("phases[0].steps[0].backfill.to", "copy-customers", FindingLevel.INFO,
                            "target.public.customers is empty"),
                    new Finding("phases[1].steps[0].validate.kpis[0].target.sql", "parity", FindingLevel.ERROR,
                            "does not parse on connection 'target': relation \"public.customers\" does not exist")),
            List.of(new RowEstimate("phases[0].steps[0].backfill.from", "copy-customers", "the query on legacy",
                    1_234_567, false)));

    @Test
    void planListsPhasesStepsCompensationsGatesWarningsAndFindingsInOrder() {
        Runbook runbook = new RunbookParser(null).parse(RUNBOOK, "runbooks/customers.yaml");

        String plan = RunbookPlan.render("runbooks/customers.yaml", runbook, REPORT);

        assertThat(plan).isEqualTo("""
                Plan for runbook customers-split (runbooks/customers.yaml)
                owner: data-platform
                Split customers out of the legacy database.

                Phase 1: copy (domain customers: a failure or rejection here rolls back the phases of domain \
                customers only)
                  1.1 copy-customers (backfill)
                      does: copy the rows of a query on legacy (select id, name from customers where active) into \
                target.public.customers (columns id->customer_id, name->full_name) in keyset chunks of 5,000 rows by \
                [id], 4 key ranges at a time, at most 20,000 rows/s
                      source rows: ~1,234,567 rows (planner estimate)
                      compensation: keep the copied rows in target.public.customers (onRollback: keep)
                  1.2 drop-staging (sql)
                      does: run on target: drop table staging_customers
                      compensation: irreversible (no revert: a rollback cannot undo it)

                Phase 2: check (domain customers: a failure or rejection here rolls back the phases of domain \
                customers only)
                  2.1 parity (validate)
                      does: compare legacy.customers with target.public.customers by [id]: row counts (tolerance 2), \
                checksum of every column, paired by name; a column left out fails it
                      kpi active: legacy (select count(*) from customers) vs target (select count(*) from \
                public.customers), tolerance 0.5%
                      assert no-nulls on target: select count(*) from public.customers where full_name is null = 0
                      compensation: none (reads only)
                  2.2 soak (wait)
                      does: wait 1h30m, re-running validate parity every 15m and at the end; a failed check fails \
                the phase
                      compensation: none (a wait changes nothing)
                  2.3 tell (notify)
                      does: post to webhook ops: customers copied
                      compensation: none (a notification changes no data)
                  2.4 go-no-go (gate)
                      does: wait for a go/no-go decision
                      approvers: owner, dba; quorum: 2; one rejection rejects
                      timeout: 3d; on timeout: keep waiting
                      compensation: none (a decision)

                Phase 3: cutover
                  3.1 read-new (flag)
                      does: set flag customers.read_new on target to 25%
                      compensation: restore flag customers.read_new on target to its previous value (remove it if \
                it did not exist)
                  3.2 view (sql)
                      does: run on target: create view customers_all as select * from public.customers
                      compensation: run on target: drop view customers_all
                  3.3 final (gate)
                      does: wait for a go/no-go decision
                      approvers: owner; quorum: 1; one rejection rejects
                      timeout: none (waits until decided)
                      compensation: none (a decision)

                On a rejection, a failed step, a rollback request or a cancel, the compensations of every completed \
                step run, last first (in a domain, that domain's steps only).

                Warnings:
                  phases[0].steps[1] (drop-staging): irreversible, and it runs before gate go-no-go \
                (phases[1].steps[3]); a rejection there cannot undo it

                Pre-flight:
                  INFO    phases[0].steps[0].backfill.to (copy-customers): target.public.customers is empty
                  ERROR   phases[1].steps[0].validate.kpis[0].target.sql (parity): does not parse on connection \
                'target': relation "public.customers" does not exist
                Result: 1 error(s), 0 warning(s), 1 info
                """);
    }

    @Test
    void aPlanNamesATableThatNeedsQuotingAsSqlWritesIt() {
        Runbook runbook = new RunbookParser(null).parse("""
                apiVersion: runbook/v1
                name: quoted
                phases:
                  - name: copy
                    steps:
                      - id: copy-lines
                        backfill:
                          from: { connection: legacy, schema: Sales, table: "Order Lines" }
                          to: { connection: target, schema: Sales, table: OrderLines }
                          key: [OrderId, LineNo]
                      - id: parity
                        validate:
                          between:
                            source: { connection: legacy, schema: Sales, table: "Order Lines" }
                            target: target.Sales.OrderLines
                          key: [OrderId, LineNo]
                """, "quoted.yaml");

        String plan = RunbookPlan.render("quoted.yaml", runbook, new PreflightReport(List.of(), List.of()));

        assertThat(plan).contains("legacy.Sales.\"Order Lines\" into target.Sales.OrderLines")
                .contains("compare legacy.Sales.\"Order Lines\" with target.Sales.OrderLines by [OrderId, LineNo]");
    }

    @Test
    void irreversibleStepBeforeAGateOfAnotherDomainIsNotWarnedAbout() {
        Runbook runbook = new RunbookParser(null).parse("""
                apiVersion: runbook/v1
                name: two-domains
                phases:
                  - name: orders-drop
                    domain: orders
                    steps:
                      - id: drop-old
                        sql: { connection: target, apply: "drop table old_orders", irreversible: true }
                  - name: customers-gate
                    domain: customers
                    steps:
                      - id: customers-go
                        gate: { approvers: [owner] }
                  - name: everything-gate
                    steps:
                      - id: all-go
                        gate: { approvers: [owner] }
                """, "two.yaml");

        String plan = RunbookPlan.render("two.yaml", runbook, new PreflightReport(List.of(), List.of()));

        assertThat(plan).contains("""
                Warnings:
                  phases[0].steps[0] (drop-old): irreversible, and it runs before gate all-go (phases[2].steps[0]); \
                a rejection there cannot undo it

                Pre-flight:
                  (none)
                Result: 0 error(s), 0 warning(s), 0 info
                """).doesNotContain("gate customers-go (");
    }

    @Test
    void aBackfillWhoseRollbackWouldDeleteAfterWritesSwitchedToTheTargetIsWarnedAbout() {
        Runbook runbook = new RunbookParser(null).parse("""
                apiVersion: runbook/v1
                name: switch-writes
                phases:
                  - name: copy
                    steps:
                      - id: copy-orders
                        backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                      - id: kept
                        backfill: { from: { connection: legacy, table: items }, to: { connection: target, table: items_v2 }, key: [id], onRollback: keep }
                  - name: canary
                    steps:
                      - id: read-new
                        flag: { connection: target, name: orders.read_v2, enabled: true }
                      - id: write-new
                        flag: { connection: target, name: orders.write_v2, enabled: true }
                      - id: go
                        gate: { approvers: [owner] }
                """, "switch.yaml");

        String plan = RunbookPlan.render("switch.yaml", runbook, new PreflightReport(List.of(), List.of()));

        assertThat(plan).contains("""
                Warnings:
                  phases[0].steps[0] (copy-orders): a rollback after flag orders.write_v2 (phases[1].steps[1]) \
                switched writes to target.orders_v2 deletes the copied rows nobody changed since; rows the \
                application wrote or changed there are kept, but reads that went to the target lose them: consider \
                onRollback: keep

                """).doesNotContain("(kept): a rollback after").doesNotContain("flag orders.read_v2 (");
    }

    @Test
    void samePlanTwice() {
        Runbook first = new RunbookParser(null).parse(RUNBOOK, "runbooks/customers.yaml");
        Runbook second = new RunbookParser(null).parse(RUNBOOK, "runbooks/customers.yaml");

        // Two parses of one file: the plan must not depend on anything but the text (hash order, identity).
        assertThat(second).isNotSameAs(first);
        String plan = RunbookPlan.render("f", first, REPORT);
        assertThat(RunbookPlan.render("f", second, REPORT)).isEqualTo(plan);
        assertThat(plan).contains("copy-customers");
    }
}
