package org.runbooks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.api.WriteFreeze;
import org.runbooks.api.PhaseTiming;
import org.runbooks.api.ReportFiles;
import org.runbooks.api.RollbackTiming;
import org.runbooks.api.StepTiming;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.Knobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report a rejected runbook leaves: Markdown for the people who signed it off, JSON that reads back whole. */
class ReportActivitiesImplTest {

    private static final String T0 = "2026-03-04T05:00:00Z";

    @TempDir
    Path dir;

    static MigrationReport rejected() {
        ValidationReport parity = new ValidationReport("parity", 25_000, 24_999, "aa", "bb", false,
                "row counts differ", List.of(
                new CheckResult("row-count", CheckResult.Kind.ROW_COUNT, false, "25000", "24999", "±0",
                        "row counts differ by 1"),
                new CheckResult("revenue", CheckResult.Kind.KPI, true, "10.00", "10.00", "equal", "revenue agrees")));
        return new MigrationReport("orders-to-v2", "0123456789abcdef", "orders-to-v2", "data-platform",
                "Move orders.", "runbooks/orders-to-v2.yaml", "cafe", "alice", "ROLLED_BACK",
                "gate go-no-go rejected by orders-owner: p99 | doubled", T0, "2026-03-04T05:10:00Z", 600_000, 25_000,
                List.of(new PhaseTiming("backfill", null, T0, "2026-03-04T05:01:00Z", "COMPLETED", 60_000,
                                List.of(new StepTiming("copy-orders", "backfill", T0, "2026-03-04T05:01:00Z",
                                        "completed", 60_000))),
                        new PhaseTiming("gate", "orders", "2026-03-04T05:02:00Z", null, "running", 0,
                                List.of(new StepTiming("go-no-go", "gate", "2026-03-04T05:02:00Z", null, "running", 0)))),
                List.of(parity),
                List.of(new GateAuditEntry("go-no-go", "mallory", "approve", null, false,
                                "'mallory' is not an approver of gate 'go-no-go'", "2026-03-04T05:03:00Z"),
                        new GateAuditEntry("go-no-go", "orders-owner", "reject", "p99 | doubled\nsee graph", true, null,
                                "2026-03-04T05:09:00Z")),
                List.of(new ControlEntry("pause", "carol", "replica lag", "2026-03-04T05:00:30Z")),
                new Knobs(false, null, null, 5000, 20_000L, 2),
                List.of(new RollbackTiming(null, "gate go-no-go rejected", "2026-03-04T05:09:00Z",
                        "2026-03-04T05:09:02.500Z", 2_500, 1, 0)),
                List.of(new CompensationRecord("copy-orders", "remove copied rows", true, "deleted 25000 rows")),
                List.of());
    }

    @Test
    void markdownLeadsWithTheOutcomeAndKeepsTimingsEvidenceSignOffsControlsAndCompensations() throws Exception {
        ReportFiles files = new ReportActivitiesImpl(dir).writeReport(rejected());

        String md = Files.readString(Path.of(files.markdown()));
        assertThat(Path.of(files.markdown())).isEqualTo(dir.resolve("orders-to-v2-0123456789abcdef.md"));
        assertThat(md).startsWith("# Migration report: orders-to-v2\n")
                .contains("| Outcome | **ROLLED_BACK** |")
                .contains("| Reason | gate go-no-go rejected by orders-owner: p99 \\| doubled |")
                .contains("| Ended | 2026-03-04T05:10:00Z (600.0 s) |")
                .contains("| Rows copied | 25,000 |")
                .contains("| **backfill** |  |  | " + T0 + " | 2026-03-04T05:01:00Z | 60.0 s | COMPLETED |")
                .contains("|  | copy-orders | backfill | " + T0 + " | 2026-03-04T05:01:00Z | 60.0 s | completed |")
                .contains("| **gate** (domain orders) |")
                .contains("|  | go-no-go | gate | 2026-03-04T05:02:00Z | none | did not finish | running |")
                .contains("### parity: FAILED")
                .contains("| row-count | row-count | 25000 | 24999 | ±0 | FAILED: row counts differ by 1 |")
                .contains("| revenue | kpi | 10.00 | 10.00 | equal | passed: revenue agrees |")
                .contains("| go-no-go | mallory | approve | none | refused: 'mallory' is not an approver of gate"
                        + " 'go-no-go' | 2026-03-04T05:03:00Z |")
                .contains("| go-no-go | orders-owner | reject | p99 \\| doubled<br>see graph | yes |")
                .contains("| pause | carol | replica lag | 2026-03-04T05:00:30Z |")
                .contains("Knobs at the end: chunkRows 5000, rowsPerSecond 20000, not paused.")
                .contains("| everything | gate go-no-go rejected | 2026-03-04T05:09:00Z | 2.5 s | 1 | 0 |")
                .contains("| copy-orders | remove copied rows | done | deleted 25000 rows |")
                .endsWith("## Outcome\n\n**ROLLED_BACK**: gate go-no-go rejected by orders-owner: p99 | doubled\n");
        assertThat(md.indexOf("## Phases and steps")).isLessThan(md.indexOf("## Validation evidence"));
        assertThat(md.indexOf("## Gate decisions")).isLessThan(md.indexOf("## Rollbacks and compensation log"));
    }

    @Test
    void theWriteFreezesOfASwitchAndItsSwitchBackHaveTheirOwnSectionAndReadBack() throws Exception {
        MigrationReport r = rejected();
        List<WriteFreeze> freezes = List.of(
                new WriteFreeze("switch", WriteFreeze.SWITCH, "legacy", 1_412, 412, "2026-03-04T05:05:01.412Z",
                        List.of(new WriteFreeze.Stage("pre-check", 2_004), new WriteFreeze.Stage("freeze", 12),
                                new WriteFreeze.Stage("catch-up", 310))),
                new WriteFreeze("switch", WriteFreeze.SWITCH_BACK, "target", 1_230, 230, "2026-03-04T05:09:01.230Z"));
        MigrationReport switched = new MigrationReport(r.workflowId(), r.runId(), r.runbook(), r.owner(),
                r.description(), r.file(), r.sha256(), r.startedBy(), r.outcome(), r.reason(), r.startedAt(),
                r.endedAt(), r.millis(), r.rowsCopied(), r.phases(), r.evidence(), r.gates(), r.controls(), r.knobs(),
                r.rollbacks(), r.compensations(), r.rolledBackDomains(), List.of(), freezes);
        ReportFiles files = new ReportActivitiesImpl(dir).writeReport(switched);

        String md = Files.readString(Path.of(files.markdown()));
        assertThat(md).contains("## Write freezes")
                .contains("| switch | switch | legacy | 1,412 | 412 | 2026-03-04T05:05:01.412Z | pre-check 2,004 ms,"
                        + " freeze 12 ms, catch-up 310 ms |")
                .contains("| switch | switch back | target | 1,230 | 230 | 2026-03-04T05:09:01.230Z | none |");
        assertThat(md.indexOf("## Write freezes")).isLessThan(md.indexOf("## Rollbacks and compensation log"));
        assertThat(new ObjectMapper().readValue(Path.of(files.json()).toFile(), MigrationReport.class))
                .isEqualTo(switched);
    }

    @Test
    void jsonReadsBackAsTheSameReportAndARetryLeavesTheSameTwoFiles() throws Exception {
        ReportActivitiesImpl reports = new ReportActivitiesImpl(dir.resolve("nested/reports"));
        reports.writeReport(rejected());
        ReportFiles again = reports.writeReport(rejected());

        MigrationReport read = new ObjectMapper().readValue(Path.of(again.json()).toFile(), MigrationReport.class);
        assertThat(read).isEqualTo(rejected());
        try (var listing = Files.list(dir.resolve("nested/reports"))) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("orders-to-v2-0123456789abcdef.json", "orders-to-v2-0123456789abcdef.md");
        }
    }

    @Test
    void emptySectionsSayNoneAndFileNamesKeepOnlySafeCharacters() throws Exception {
        MigrationReport bare = new MigrationReport("team/orders v2", "r1", "orders-to-v2", null, null, "f.yaml",
                "s", null, "COMPLETED", null, T0, T0, 0, 0, List.of(), List.of(), List.of(), List.of(), null,
                List.of(), List.of(), List.of());

        String md = Files.readString(Path.of(new ReportActivitiesImpl(dir).writeReport(bare).markdown()));

        assertThat(ReportActivitiesImpl.fileName("team/orders v2", "r1")).isEqualTo("team_orders_v2-r1");
        assertThat(md).contains("No phase started.", "No validation ran.", "No gate was decided.",
                "No operator command.", "Nothing was rolled back.").endsWith("**COMPLETED**\n");
    }

    /** Two runs of one workflow id started within the same minute: UUIDv7 run ids sharing their first 8 characters. */
    @Test
    void runsWhoseRunIdsShareAMillisecondPrefixKeepTheirOwnReports() throws Exception {
        ReportActivitiesImpl reports = new ReportActivitiesImpl(dir);
        MigrationReport approved = withRun(rejected(), "019aa2495-0000-7000-8000-000000000001", "COMPLETED");
        MigrationReport rolledBack = withRun(rejected(), "019aa2495-0000-7000-8000-000000000002", "ROLLED_BACK");

        ReportFiles first = reports.writeReport(approved);
        ReportFiles second = reports.writeReport(rolledBack);

        assertThat(first.markdown()).isNotEqualTo(second.markdown());
        assertThat(Files.readString(Path.of(first.markdown()))).contains("| Outcome | **COMPLETED** |");
        assertThat(Files.readString(Path.of(second.markdown()))).contains("| Outcome | **ROLLED_BACK** |");
        assertThat(new ObjectMapper().readValue(Path.of(first.json()).toFile(), MigrationReport.class))
                .isEqualTo(approved);
    }

    @Test
    void aDifferentReportUnderAnExistingNameIsRefusedAndTheFirstStays() throws Exception {
        ReportActivitiesImpl reports = new ReportActivitiesImpl(dir);
        ReportFiles first = reports.writeReport(rejected());
        String before = Files.readString(Path.of(first.markdown()));

        MigrationReport other = withRun(rejected(), rejected().runId(), "COMPLETED");
        assertThatThrownBy(() -> reports.writeReport(other)).isInstanceOf(ApplicationFailure.class)
                .hasMessageContaining("already holds a different report")
                .satisfies(e -> {
                    assertThat(((ApplicationFailure) e).getType()).isEqualTo(ReportActivitiesImpl.REPORT_EXISTS);
                    assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue();
                });

        assertThat(Files.readString(Path.of(first.markdown()))).isEqualTo(before);
        assertThat(new ObjectMapper().readValue(Path.of(first.json()).toFile(), MigrationReport.class))
                .isEqualTo(rejected());
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).as("no partial file is left behind")
                    .containsExactlyInAnyOrder("orders-to-v2-0123456789abcdef.json", "orders-to-v2-0123456789abcdef.md");
        }
    }

    private static MigrationReport withRun(MigrationReport r, String runId, String outcome) {
        return new MigrationReport(r.workflowId(), runId, r.runbook(), r.owner(), r.description(), r.file(),
                r.sha256(), r.startedBy(), outcome, r.reason(), r.startedAt(), r.endedAt(), r.millis(), r.rowsCopied(),
                r.phases(), r.evidence(), r.gates(), r.controls(), r.knobs(), r.rollbacks(), r.compensations(),
                r.rolledBackDomains());
    }
}
