package org.runbooks.runbook;

import io.temporal.client.WorkflowStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.GateDecision;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.StepResolution;
import org.runbooks.api.StreamView;
import org.runbooks.stream.StreamWorkflow;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream step on the time-skipping server: its start position is fixed before the backfill into its target, it
 * holds its changes until that backfill completed, then applies through later phases and gates, pauses with the
 * runbook, and is stopped and dropped when the runbook completes or rolls back (before any other compensation).
 */
class StreamStepWorkflowTest {

    private static final String STREAM_THEN_COPY_THEN_GATE = StreamedCopy.runbook("streamed", "sync") + """
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [ann] }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void theStreamStartsBeforeTheCopyAppliesAfterItPausesWithTheRunbookAndEndsWithIt() {
        runbooks = new TimeSkippingRunbooks(STREAM_THEN_COPY_THEN_GATE);
        runbooks.awaitGate("go");
        RunbookStatus applying = awaitStream(s -> s.state().equals(StreamView.APPLYING));
        assertThat(applying.streams()).singleElement().satisfies(v -> assertThat(v.step()).isEqualTo("orders-stream"));
        List<String> calls = runbooks.activities().calls;
        assertThat(indexOf(calls, "startStream:orders-stream")).as("position fixed before the copy")
                .isLessThan(indexOfPrefix(calls, ":copy"));
        assertThat(indexOf(calls, "runStream:orders-stream")).as("applies only after the copy completed")
                .isGreaterThan(lastIndexOfPrefix(calls, ":copy"));

        runbooks.workflow().pause(new PauseRequest("op", "look"));
        awaitStream(s -> s.state().equals(StreamView.PAUSED));
        assertThat(runbooks.activities().streams.running.get()).as("nothing applies while paused").isZero();
        runbooks.workflow().resume(new PauseRequest("op", "go on"));
        awaitStream(s -> s.state().equals(StreamView.APPLYING));

        runbooks.workflow().approve(new GateDecision("go", "ann", "ship"));
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.compensations()).extracting(CompensationRecord::stepId).containsExactly("orders-stream");
        assertThat(result.compensations().get(0).detail()).contains("dropped replication slot slot");
        StreamView last = WorkflowStub.fromTyped(runbooks.client().newWorkflowStub(StreamWorkflow.class,
                "rb-test/stream/orders-stream")).getResult(StreamView.class);
        assertThat(last.state()).isEqualTo(StreamView.STOPPED);
        assertThat(last.detail()).isEqualTo("the runbook completed");
        assertThat(runbooks.activities().streams.running.get()).isZero();
    }

    @Test
    void aRollbackStopsAndDropsTheStreamBeforeItUndoesTheCopy() {
        runbooks = new TimeSkippingRunbooks(STREAM_THEN_COPY_THEN_GATE);
        runbooks.awaitGate("go");
        awaitStream(s -> s.state().equals(StreamView.APPLYING));
        runbooks.workflow().rollback(new RollbackRequest("op", "flicker"));
        RunbookResult result = runbooks.resultOnceRolledBack();
        assertThat(result.compensations()).extracting(CompensationRecord::stepId)
                .containsExactly("orders-stream", "copy");
        List<String> calls = runbooks.activities().calls;
        assertThat(indexOf(calls, "dropStream:orders-stream")).isLessThan(indexOfPrefix(calls, "removeCopiedRows"));
        assertThat(runbooks.activities().streams.running.get()).isZero();
    }

    @Test
    void aStreamThatFailsForGoodWaitsAsAFailedStepAndARetryResumesIt() {
        runbooks = new TimeSkippingRunbooks(STREAM_THEN_COPY_THEN_GATE);
        runbooks.awaitGate("go");
        awaitStream(s -> s.state().equals(StreamView.APPLYING));
        runbooks.activities().streams.failsWith = "the source table of stream orders-stream changed: column note added";

        RunbookStatus failed = awaitState(RunbookState.STEP_FAILED);
        assertThat(failed.failure().step()).isEqualTo("orders-stream");
        assertThat(failed.failure().reason()).contains("column note added").contains("StreamSchemaChanged")
                .contains("retry");
        assertThat(failed.failure().retryCommand()).contains("resolveFailure").contains("retry");
        assertThat(failed.failure().skipCommand()).as("a stream cannot be skipped").isNull();
        assertThat(failed.streams().get(0).state()).isEqualTo(StreamView.FAILED);

        runbooks.workflow().resolveFailure(new StepResolution("orders-stream", "skip", "op", "go on without it"));
        runbooks.sleep(Duration.ofMillis(500));
        assertThat(runbooks.workflow().status().state()).as("skip refused").isEqualTo(RunbookState.STEP_FAILED);
        assertThat(runbooks.workflow().status().controls()).anySatisfy(c -> assertThat(c.detail())
                .contains("ignored").contains("a stream cannot be skipped"));

        runbooks.workflow().resolveFailure(new StepResolution("orders-stream", "retry", "op", "target schema fixed"));
        awaitStream(s -> s.state().equals(StreamView.APPLYING));
        assertThat(awaitState(RunbookState.AWAITING_APPROVAL).failure()).isNull();
        assertThat(runbooks.activities().calls.stream().filter(c -> c.equals("runStream:orders-stream")))
                .as("the apply ran again from the committed position").hasSize(2);

        runbooks.workflow().approve(new GateDecision("go", "ann", "ship"));
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.compensations()).extracting(CompensationRecord::stepId).containsExactly("orders-stream");
    }

    @Test
    void aFailedStreamRolledBackByItsResolutionIsDroppedFirst() {
        runbooks = new TimeSkippingRunbooks(STREAM_THEN_COPY_THEN_GATE);
        runbooks.awaitGate("go");
        awaitStream(s -> s.state().equals(StreamView.APPLYING));
        runbooks.activities().streams.failsWith = "the source table of stream orders-stream changed";
        awaitState(RunbookState.STEP_FAILED);
        runbooks.workflow().resolveFailure(new StepResolution("orders-stream", "rollback", "op", "give up"));
        RunbookResult result = runbooks.resultOnceRolledBack();
        assertThat(result.compensations()).extracting(CompensationRecord::stepId)
                .containsExactly("orders-stream", "copy");
        assertThat(runbooks.activities().streams.running.get()).isZero();
    }

    private RunbookStatus awaitState(RunbookState state) {
        for (int i = 0; i < 200; i++) {
            RunbookStatus status = runbooks.workflow().status();
            if (status.state() == state) {
                return status;
            }
            runbooks.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("runbook never got to " + state + "; status " + runbooks.workflow().status());
    }

    private static final String CAUGHT_UP_BEFORE_THE_GATE = STREAM_THEN_COPY_THEN_GATE.replace("""
                  - id: go
            """, """
                  - id: caught-up
                    catchUp: { stream: orders-stream, maxLag: PT5S, within: PT6S }
                  - id: go
            """);

    @Test
    void aCatchUpStepLetsTheGateOpenOnceTheStreamIsInStep() {
        runbooks = new TimeSkippingRunbooks(CAUGHT_UP_BEFORE_THE_GATE);
        runbooks.awaitGate("go");
        assertThat(runbooks.activities().calls).contains("streamLag:orders-stream");
        assertThat(runbooks.workflow().status().stepsDone()).isEqualTo(3);
    }

    @Test
    void aStreamThatStaysBehindFailsTheCatchUpWithItsLagAndTheRunbookRollsBack() {
        runbooks = new TimeSkippingRunbooks(CAUGHT_UP_BEFORE_THE_GATE, new org.runbooks.api.RunbookRequest(
                "runbooks/test.yaml", "alice"), fakes -> fakes.streams.lagSeconds = 42.5);
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).contains("stream orders-stream is still 42.5 s behind")
                .contains("after PT6S; it must be under PT5S");
        assertThat(result.compensations()).extracting(CompensationRecord::stepId)
                .containsExactly("orders-stream", "copy");
    }

    private static final String VALIDATED_LIVE = STREAM_THEN_COPY_THEN_GATE.replace("""
                  - id: go
            """, """
                  - id: parity
                    validate:
                      between: { source: legacy.orders, target: target.orders_v2 }
                      key: [id]
                      rowCount: { tolerance: 0 }
                  - id: go
            """);

    @Test
    void aDifferenceTheStreamClosesIsNotReportedOnceItHasCaughtUp() {
        runbooks = new TimeSkippingRunbooks(VALIDATED_LIVE, new org.runbooks.api.RunbookRequest(
                "runbooks/test.yaml", "alice"), fakes -> fakes.validation.scriptedReports.add(
                new org.runbooks.api.ValidationReport("parity", 1000, 999, null, null, false,
                        "row counts differ (source 1000, target 999)")));
        RunbookStatus atGate = runbooks.awaitGate("go");
        List<String> calls = runbooks.activities().calls;
        assertThat(calls).containsSubsequence("sourcePosition:orders-stream", "compare:parity",
                "awaitApplied:orders-stream", "compare:parity");
        assertThat(atGate.evidence()).last().satisfies(e -> {
            assertThat(e.passed()).isTrue();
            assertThat(e.detail()).startsWith("what the first comparison found (row counts differ (source 1000,"
                    + " target 999)) was closed once stream orders-stream applied everything committed before the"
                    + " comparison began; row counts agree");
        });
    }

    @Test
    void aDifferenceThatPersistsAfterTheStreamCaughtUpFailsTheValidation() {
        runbooks = new TimeSkippingRunbooks(VALIDATED_LIVE, new org.runbooks.api.RunbookRequest(
                "runbooks/test.yaml", "alice"), fakes -> fakes.validation.validationPasses = false);
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).contains("after stream orders-stream applied everything committed before the"
                + " comparison began, still: row counts differ");
        assertThat(runbooks.activities().calls.stream().filter("compare:parity"::equals)).hasSize(2);
    }

    @Test
    void differencesOnOtherKeysEachTimeAreWritesInFlightAndPassWhileTheSourceKeepsWriting() {
        runbooks = new TimeSkippingRunbooks(VALIDATED_LIVE, new org.runbooks.api.RunbookRequest(
                "runbooks/test.yaml", "alice"), fakes -> {
            fakes.validation.scriptedReports.add(differing(List.of("20082")));
            fakes.validation.scriptedReports.add(differing(List.of("20133"), List.of("20134")));
        });
        RunbookStatus atGate = runbooks.awaitGate("go");
        assertThat(runbooks.activities().calls).containsSubsequence("sourcePosition:orders-stream",
                "compare:parity", "awaitApplied:orders-stream", "sourcePosition:orders-stream", "compare:parity");
        assertThat(atGate.evidence()).last().satisfies(e -> {
            assertThat(e.passed()).isTrue();
            assertThat(e.checks()).allSatisfy(check -> assertThat(check.passed()).isTrue());
            assertThat(e.detail()).contains("in flight").contains("20133");
        });
    }

    @Test
    void aKeyThatDiffersInEveryComparisonFailsTheLiveValidation() {
        runbooks = new TimeSkippingRunbooks(VALIDATED_LIVE, new org.runbooks.api.RunbookRequest(
                "runbooks/test.yaml", "alice"), fakes -> {
            for (int i = 0; i < 10; i++) {
                fakes.validation.scriptedReports.add(differing(List.of("5"), List.of(String.valueOf(100 + i))));
            }
        });
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).contains("id=5 differed in every comparison");
    }

    @Test
    void aRepairOfALiveValidationIsJudgedLiveTooSoWritesInFlightDoNotKeepItFailing() {
        String repairing = VALIDATED_LIVE.replaceAll("( *)rowCount: \\{ tolerance: 0 }\n",
                "$1rowCount: { tolerance: 0 }\n$1checksum: { columns: all }\n$1repair: { backfill: copy }\n");
        assertThat(repairing).contains("repair: { backfill: copy }");
        runbooks = new TimeSkippingRunbooks(repairing, new org.runbooks.api.RunbookRequest(
                "runbooks/test.yaml", "alice"), fakes -> {
            for (int i = 0; i < 4; i++) {
                fakes.validation.scriptedReports.add(differing(List.of("9"), List.of(String.valueOf(100 + i))));
            }
            for (int i = 4; i < 30; i++) {
                fakes.validation.scriptedReports.add(differing(List.of(String.valueOf(100 + i))));
            }
        });
        RunbookStatus atGate = runbooks.awaitGate("go");
        assertThat(runbooks.activities().calls).containsSubsequence("repairKeys:copy", "sourcePosition:orders-stream",
                "compare:parity", "awaitApplied:orders-stream", "sourcePosition:orders-stream", "compare:parity");
        assertThat(atGate.evidence()).last().satisfies(e -> {
            assertThat(e.passed()).isTrue();
            assertThat(e.repair().rounds()).singleElement();
            assertThat(e.detail()).contains("in flight");
        });
    }

    private static org.runbooks.api.ValidationReport differing(List<String>... keys) {
        List<org.runbooks.api.CheckResult> checks = List.of(new org.runbooks.api.CheckResult("checksum",
                org.runbooks.api.CheckResult.Kind.CHECKSUM, false, "a", "b", "equal", "checksums differ"));
        return new org.runbooks.api.ValidationReport("parity", 1000, 1000, "a", "b", false, "checksums differ",
                checks, new org.runbooks.api.KeyDifferences(List.of(), List.of(), List.of(keys), false));
    }

    private RunbookStatus awaitStream(Predicate<StreamView> condition) {
        for (int i = 0; i < 200; i++) {
            RunbookStatus status = runbooks.workflow().status();
            if (!status.streams().isEmpty() && condition.test(status.streams().get(0))) {
                return status;
            }
            runbooks.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("stream never got there; status " + runbooks.workflow().status().streams());
    }

    private static int indexOf(List<String> calls, String call) {
        assertThat(calls).contains(call);
        return calls.indexOf(call);
    }

    private static int indexOfPrefix(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix) || calls.get(i).endsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no call " + prefix + "* in " + calls);
    }

    private static int lastIndexOfPrefix(List<String> calls, String prefix) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).startsWith(prefix) || calls.get(i).endsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no call " + prefix + "* in " + calls);
    }
}
