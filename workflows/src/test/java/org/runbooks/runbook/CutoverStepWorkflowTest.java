package org.runbooks.runbook;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.WriteFreeze;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cutover step on the time-skipping server: the switch in its order (pre-check, freeze, catch-up, sequences, the
 * forward stream stopped, the reverse stream started, flags flipped, thaw), a catch-up that does not finish aborting
 * on its own, and a rollback after the switch that switches back through the reverse stream and deletes no copied
 * row.
 */
class CutoverStepWorkflowTest {

    private static final String RUNBOOK = StreamedCopy.runbook("switched", "sync") + """
              - name: switch
                steps:
                  - id: cut
                    cutover:
                      stream: orders-stream
                      flags:
                        - { connection: target, name: orders-writes-v2, enabled: true }
                        - { connection: target, name: orders-reads-v2, enabled: true }
              - name: soak
                steps:
                  - id: done
                    gate: { approvers: [ann] }
            """;

    /** Two streams from two source connections, switched by one cutover. */
    private static final String TWO_STREAMS = StreamedCopy.runbook("switched", "sync").replace("""
                  - id: copy
            """, """
                  - id: items-stream
                    stream:
                      from: { connection: shop, table: items }
                      to: { connection: target, table: items_v2 }
                      key: [id]
                  - id: copy
            """) + """
              - name: switch
                steps:
                  - id: cut
                    cutover:
                      streams: [orders-stream, items-stream]
                      flags:
                        - { connection: target, name: orders-writes-v2, enabled: true }
              - name: soak
                steps:
                  - id: done
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
    void theSwitchRunsInOrderAndTheReverseStreamRunsUntilTheRunbookEnds() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK);
        runbooks.awaitGate("done");
        List<String> calls = List.copyOf(runbooks.activities().calls);
        assertThat(calls.stream().filter(c -> !c.startsWith("streamLag") && !c.startsWith("runStream")
                && !c.contains("Copy") && !c.contains("copy") && !c.startsWith("load") && !c.startsWith("report")
                && !c.startsWith("notify") && !c.startsWith("startStream:orders-stream")).toList())
                .containsSubsequence("freezeWrites:legacy [orders]", "sourcePosition:orders-stream",
                        "awaitApplied:orders-stream", "startStream:cut-reverse", "setFlag:orders-writes-v2=100",
                        "setFlag:orders-reads-v2=100", "thawWrites:legacy", "dropStream:orders-stream");
        List<String> live = runbooks.activities().calls;
        assertThat(live.indexOf("syncSequences:orders_v2")).as("sequences after the catch-up, before the flip")
                .isGreaterThan(live.indexOf("awaitApplied:orders-stream"))
                .isLessThan(live.indexOf("setFlag:orders-writes-v2=100"));
        assertThat(live.indexOf("stopStream:orders-stream")).as("the forward stream stops before the thaw")
                .isGreaterThan(live.indexOf("syncSequences:orders_v2")).isLessThan(live.indexOf("thawWrites:legacy"));
        for (int i = 0; i < 100 && !live.contains("runStream:cut-reverse"); i++) {
            runbooks.sleep(java.time.Duration.ofMillis(100));
        }
        assertThat(live.indexOf("runStream:cut-reverse")).as("the reverse stream applies only after the thaw")
                .isGreaterThan(live.indexOf("thawWrites:legacy"));
        assertThat(runbooks.activities().cutover.frozen).as("nothing stays frozen").isEmpty();

        runbooks.workflow().approve(new GateDecision("done", "ann", "soaked"));
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.compensations()).extracting(CompensationRecord::stepId)
                .containsExactly("cut-reverse", "orders-stream");
        assertThat(runbooks.activities().calls).contains("dropStream:cut-reverse", "dropStream:orders-stream")
                .doesNotContain("restoreFlag:orders-writes-v2");
    }

    @Test
    void theCallsInsideTheFreezeMakeNoTripThroughTheTaskQueue() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK);
        runbooks.awaitGate("done");
        List<HistoryEvent> events = runbooks.client().fetchHistory("rb-test/switch").getEvents();
        List<String> scheduled = events.stream().filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList();
        assertThat(scheduled).as("activities through the task queue")
                .doesNotContain("FreezeWrites", "StreamSourcePosition", "StreamAwaitApplied", "SyncSequences",
                        "StreamStart", "SetFlag", "ThawWrites");
        List<String> inWorker = new java.util.ArrayList<>();
        int signalsInFreeze = 0;
        for (HistoryEvent e : events) {
            String local = localActivity(e);
            if (local != null) {
                inWorker.add(local);
            } else if (e.hasSignalExternalWorkflowExecutionInitiatedEventAttributes() && inWorker.contains(
                    "FreezeWrites") && !inWorker.contains("SetFlag")) {
                signalsInFreeze += e.getSignalExternalWorkflowExecutionInitiatedEventAttributes().getSignalName()
                        .equals("phaseEvent") ? 1 : 0;
            }
        }
        assertThat(inWorker).as("local activities, in order").hasSize(8);
        assertThat(inWorker.subList(0, 3)).containsExactly("FreezeWrites", "StreamSourcePosition",
                "StreamAwaitApplied");
        assertThat(inWorker.subList(3, 5)).as("at once").containsExactlyInAnyOrder("SyncSequences", "StreamStart");
        assertThat(inWorker.subList(5, 8)).containsExactly("SetFlag", "SetFlag", "ThawWrites");
        assertThat(signalsInFreeze).as("trips to the runbook between the freeze and the flip").isZero();
    }

    /** The activity type of a local activity's marker, or null for any other event. */
    private static String localActivity(HistoryEvent e) {
        if (!e.hasMarkerRecordedEventAttributes()
                || !e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) {
            return null;
        }
        Payloads type = e.getMarkerRecordedEventAttributes().getDetailsMap().get("type");
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(type), String.class, String.class);
    }

    @Test
    void theWriteFreezesOfTheSwitchAndTheSwitchBackShowInStatusAcrossContinueAsNewAndInTheReport() {
        // A history limit of 1 continues the runbook as new at every phase boundary: the soak runs in a later run.
        runbooks = new TimeSkippingRunbooks(RUNBOOK, new RunbookRequest("runbooks/test.yaml", "alice", 1, null));
        runbooks.awaitGate("done");
        RunbookStatus atSoak = runbooks.workflow().status();
        assertThat(atSoak.lastSwitchBack()).as("no switch back yet").isNull();
        assertThat(atSoak.lastSwitch()).as("the switch's freeze, carried into the soak's run").isNotNull()
                .satisfies(f -> {
                    assertThat(f.step()).isEqualTo("cut");
                    assertThat(f.direction()).isEqualTo(WriteFreeze.SWITCH);
                    assertThat(f.connection()).isEqualTo("legacy");
                    // The settle (1 s by default) keeps the freeze after the flip; the flip comes before it.
                    assertThat(f.frozenMillis()).isGreaterThanOrEqualTo(1000);
                    assertThat(f.beforeFlipMillis()).isBetween(0L, f.frozenMillis() - 1000);
                });

        runbooks.workflow().rollback(new RollbackRequest("op", "p99 doubled on v2"));
        runbooks.resultOnceRolledBack();
        RunbookStatus after = runbooks.workflow().status();
        assertThat(after.lastSwitch()).isEqualTo(atSoak.lastSwitch());
        assertThat(after.lastSwitchBack()).isNotNull().satisfies(f -> {
            assertThat(f.direction()).isEqualTo(WriteFreeze.SWITCH_BACK);
            assertThat(f.connection()).isEqualTo("target");
            assertThat(f.frozenMillis()).isGreaterThanOrEqualTo(1000);
        });
        assertThat(runbooks.activities().report.reports).last()
                .satisfies(r -> assertThat(r.freezes()).containsExactly(after.lastSwitch(), after.lastSwitchBack()));
    }

    @Test
    void aCatchUpThatDoesNotFinishThawsAndSwitchesNothing() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK.replace("- id: cut\n", "- id: cut\n        onFailure: pause\n"),
                new RunbookRequest("runbooks/test.yaml", "alice"),
                fakes -> fakes.streams.catchesUp.put("orders-stream", false));
        runbooks.awaitState(RunbookState.STEP_FAILED);
        assertThat(runbooks.workflow().status().failure().reason()).contains("aborted on its own")
                .contains("did not apply up to 0/2").contains("writes resumed on legacy");
        List<String> calls = runbooks.activities().calls;
        assertThat(calls).contains("awaitApplied:orders-stream (not caught up)", "thawWrites:legacy")
                .noneMatch(c -> c.startsWith("setFlag") || c.startsWith("startStream:cut-reverse")
                        || c.startsWith("syncSequences"));
        assertThat(runbooks.activities().cutover.frozen).isEmpty();

        // The switch back was registered before the freeze; with no reverse stream started it finds nothing switched,
        // freezes nothing, and the rollback undoes the copy as for any runbook that never switched.
        calls.clear();
        runbooks.workflow().rollback(new RollbackRequest("op", "gave up on the switch"));
        RunbookResult result = runbooks.resultOnceRolledBack();
        assertThat(result.compensations()).filteredOn(c -> c.stepId().equals("cut")
                        && c.action().startsWith("switch back")).singleElement()
                .satisfies(c -> assertThat(c.detail()).startsWith("nothing to switch back"));
        assertThat(calls).noneMatch(c -> c.startsWith("freezeWrites") || c.startsWith("restoreFlag"))
                .anyMatch(c -> c.startsWith("removeCopiedRows"));
    }

    @Test
    void aRollbackAfterTheSwitchSwitchesBackAndDeletesNoCopiedRow() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK);
        runbooks.awaitGate("done");
        runbooks.activities().calls.clear();
        runbooks.workflow().rollback(new RollbackRequest("op", "p99 doubled on v2"));
        RunbookResult result = runbooks.resultOnceRolledBack();
        assertThat(result.compensations().get(0).stepId()).isEqualTo("cut");
        assertThat(result.compensations().get(0).detail()).startsWith("switched back to legacy.orders");
        assertThat(result.compensations()).filteredOn(c -> c.stepId().equals("copy")).singleElement()
                .satisfies(c -> assertThat(c.detail()).startsWith("kept: the application had switched"));
        List<String> calls = runbooks.activities().calls;
        assertThat(calls.stream().filter(c -> !c.startsWith("streamLag") && !c.startsWith("runStream")
                && !c.startsWith("report") && !c.startsWith("notify")).toList())
                .containsSubsequence("freezeWrites:target [orders_v2]", "sourcePosition:cut-reverse",
                        "awaitApplied:cut-reverse", "syncSequences:orders", "restoreFlag:orders-reads-v2",
                        "restoreFlag:orders-writes-v2",
                        "thawWrites:target", "dropStream:cut-reverse")
                .noneMatch(c -> c.startsWith("removeCopiedRows"));
        assertThat(runbooks.activities().cutover.frozen).isEmpty();
        assertThat(runbooks.client().fetchHistory("rb-test").getEvents().stream()
                .map(CutoverStepWorkflowTest::localActivity).filter(java.util.Objects::nonNull).toList())
                .as("the switch back's calls inside the target's freeze, as local activities")
                .containsExactly("StreamLag", "FreezeWrites", "StreamSourcePosition", "StreamAwaitApplied",
                        "SyncSequences", "RestoreFlag", "RestoreFlag", "ThawWrites");
    }

    @Test
    void twoStreamsSwitchInOneSequenceAndSwitchBackTogether() {
        runbooks = new TimeSkippingRunbooks(TWO_STREAMS);
        runbooks.awaitGate("done");
        List<String> live = runbooks.activities().calls;
        List<String> switchCalls = live.stream().filter(c -> !c.startsWith("runStream") && !c.contains("Copy")
                && !c.contains("copy") && !c.startsWith("load") && !c.startsWith("report")
                && !c.startsWith("notify") && !c.startsWith("startStream:orders-stream")
                && !c.startsWith("startStream:items-stream")).toList();
        assertThat(switchCalls).as("one freeze of every source, both caught up, one flip, one thaw")
                .containsSubsequence("streamLag:orders-stream", "streamLag:items-stream",
                        "freezeWrites:legacy [orders]", "freezeWrites:shop [items]",
                        "sourcePosition:orders-stream", "sourcePosition:items-stream",
                        "startStream:cut-reverse-orders-stream", "startStream:cut-reverse-items-stream",
                        "setFlag:orders-writes-v2=100", "thawWrites:legacy", "thawWrites:shop",
                        "dropStream:orders-stream", "dropStream:items-stream")
                .contains("awaitApplied:orders-stream", "awaitApplied:items-stream", "syncSequences:orders_v2",
                        "syncSequences:items_v2", "stopStream:orders-stream", "stopStream:items-stream");
        assertThat(live.stream().filter(c -> c.startsWith("setFlag")).count()).as("the flags flip once").isOne();
        assertThat(live.indexOf("awaitApplied:items-stream")).as("both caught up before any sequence moves")
                .isLessThan(live.indexOf("syncSequences:orders_v2"));
        assertThat(runbooks.activities().cutover.frozen).as("nothing stays frozen").isEmpty();
        assertThat(runbooks.workflow().status().lastSwitch().connection()).isEqualTo("legacy, shop");

        live.clear();
        runbooks.workflow().rollback(new RollbackRequest("op", "p99 doubled on v2"));
        RunbookResult result = runbooks.resultOnceRolledBack();
        assertThat(result.compensations().get(0).detail())
                .startsWith("switched back to legacy.orders, shop.items: the reverse streams applied up to");
        List<String> back = runbooks.activities().calls.stream().filter(c -> !c.startsWith("runStream")
                && !c.startsWith("report") && !c.startsWith("notify")).toList();
        assertThat(back).containsSubsequence("freezeWrites:target [orders_v2, items_v2]",
                        "sourcePosition:cut-reverse-orders-stream", "sourcePosition:cut-reverse-items-stream",
                        "syncSequences:orders", "syncSequences:items", "restoreFlag:orders-writes-v2",
                        "thawWrites:target")
                .contains("awaitApplied:cut-reverse-orders-stream", "awaitApplied:cut-reverse-items-stream",
                        "dropStream:cut-reverse-orders-stream", "dropStream:cut-reverse-items-stream")
                .noneMatch(c -> c.startsWith("removeCopiedRows"));
        assertThat(back.stream().filter(c -> c.startsWith("freezeWrites")).count()).as("one freeze of the target")
                .isOne();
        assertThat(runbooks.activities().cutover.frozen).isEmpty();
    }

    @Test
    void aSecondStreamThatDoesNotCatchUpAbortsTheSwitchNamingIt() {
        runbooks = new TimeSkippingRunbooks(TWO_STREAMS.replace("- id: cut\n", "- id: cut\n        onFailure: pause\n"),
                new RunbookRequest("runbooks/test.yaml", "alice"),
                fakes -> fakes.streams.catchesUp.put("items-stream", false));
        runbooks.awaitState(RunbookState.STEP_FAILED);
        assertThat(runbooks.workflow().status().failure().reason()).contains("aborted on its own")
                .contains("stream items-stream did not apply up to 0/2").doesNotContain("orders-stream did not")
                .contains("writes resumed on legacy, shop");
        List<String> calls = runbooks.activities().calls;
        assertThat(calls).contains("awaitApplied:orders-stream", "awaitApplied:items-stream (not caught up)",
                        "thawWrites:legacy", "thawWrites:shop")
                .noneMatch(c -> c.startsWith("setFlag") || c.startsWith("startStream:cut-reverse")
                        || c.startsWith("syncSequences"));
        assertThat(runbooks.activities().cutover.frozen).as("every source thawed").isEmpty();
    }

    @Test
    void aFreezeByFlagAloneSetsItWaitsForCachesAndRestoresItAtTheThaw() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK.replace("      stream: orders-stream\n",
                "      stream: orders-stream\n          freeze: { flag: { connection: legacy, name: orders-frozen,"
                        + " enabled: true } }\n"));
        runbooks.awaitGate("done");
        List<String> live = runbooks.activities().calls;
        assertThat(live).containsSubsequence("setFlag:orders-frozen=100", "sourcePosition:orders-stream",
                        "awaitApplied:orders-stream", "setFlag:orders-writes-v2=100", "restoreFlag:orders-frozen")
                .noneMatch(c -> c.startsWith("freezeWrites") || c.startsWith("thawWrites"));
        assertThat(runbooks.workflow().status().lastSwitch().connection()).isEqualTo("flag orders-frozen on legacy");
        List<HistoryEvent> events = runbooks.client().fetchHistory("rb-test/switch").getEvents();
        List<String> order = new java.util.ArrayList<>();
        for (HistoryEvent e : events) {
            String local = localActivity(e);
            if (local != null) {
                order.add(local);
            } else if (e.hasTimerStartedEventAttributes()) {
                order.add("timer");
            }
        }
        assertThat(order).as("the freeze flag's caches expire before the positions are taken")
                .containsSubsequence("SetFlag", "timer", "StreamSourcePosition");
    }

    @Test
    void aFreezeBySqlAndTriggersAppliesTheSqlFirstAndRevertsItAtTheThaw() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK.replace("      stream: orders-stream\n",
                "      stream: orders-stream\n          freeze:\n            tables: [orders]\n            sql: {"
                        + " connection: legacy, apply: \"REVOKE INSERT ON orders FROM app\", revert: \"GRANT INSERT"
                        + " ON orders TO app\" }\n"));
        runbooks.awaitGate("done");
        assertThat(runbooks.activities().calls).containsSubsequence("runSql:cut/freeze-sql/apply",
                "freezeWrites:legacy [orders]", "sourcePosition:orders-stream", "setFlag:orders-writes-v2=100",
                "thawWrites:legacy", "runSql:cut/freeze-sql/revert");
        assertThat(runbooks.activities().cutover.frozen).isEmpty();
    }

    @Test
    void anAbortLiftsEveryFreezeTheRunbookNamed() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK.replace("- id: cut\n", "- id: cut\n        onFailure: pause\n")
                .replace("      stream: orders-stream\n", "      stream: orders-stream\n          freeze:\n"
                        + "            tables: [orders]\n            flag: { connection: legacy, name: orders-frozen,"
                        + " enabled: true }\n            sql: { connection: legacy, apply: \"REVOKE INSERT ON orders"
                        + " FROM app\", revert: \"GRANT INSERT ON orders TO app\" }\n"),
                new RunbookRequest("runbooks/test.yaml", "alice"),
                fakes -> fakes.streams.catchesUp.put("orders-stream", false));
        runbooks.awaitState(RunbookState.STEP_FAILED);
        assertThat(runbooks.workflow().status().failure().reason()).contains("aborted on its own");
        assertThat(runbooks.activities().calls).containsSubsequence("setFlag:orders-frozen=100",
                        "runSql:cut/freeze-sql/apply", "freezeWrites:legacy [orders]",
                        "awaitApplied:orders-stream (not caught up)", "thawWrites:legacy",
                        "runSql:cut/freeze-sql/revert", "restoreFlag:orders-frozen")
                .noneMatch(c -> c.startsWith("setFlag:orders-writes-v2"));
        assertThat(runbooks.activities().cutover.frozen).isEmpty();
    }

    @Test
    void eachStageOfTheSwitchAndTheSwitchBackShowsItsDurationInStatusCurrentDetailsAndTheReport() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK);
        runbooks.awaitGate("done");
        WriteFreeze atSwitch = runbooks.workflow().status().lastSwitch();
        assertThat(atSwitch.stages()).extracting(WriteFreeze.Stage::name).containsExactly("pre-check", "freeze",
                "catch-up", "reverse stream", "sequences", "flip", "settle", "thaw");
        assertThat(atSwitch.stages()).filteredOn(s -> s.name().equals("settle")).singleElement()
                .satisfies(s -> assertThat(s.millis()).as("the settle's timer").isGreaterThanOrEqualTo(1000));
        assertThat(atSwitch.stages()).filteredOn(s -> s.name().equals("freeze")).singleElement()
                .as("at least what the freeze's activity measured (1 ms in the fake), even where the workflow clock"
                        + " does not move between local activities; never the settle's second")
                .satisfies(s -> assertThat(s.millis()).isBetween(1L, 999L));
        assertThat(org.runbooks.ui.CurrentDetails.render("rb-test", runbooks.workflow().status()))
                .contains("**Write freeze** switch at cut: writes on legacy refused")
                .contains("; stages: pre-check ").contains(", settle 1,");

        runbooks.workflow().rollback(new RollbackRequest("op", "p99 doubled on v2"));
        runbooks.resultOnceRolledBack();
        WriteFreeze back = runbooks.workflow().status().lastSwitchBack();
        assertThat(back.stages()).extracting(WriteFreeze.Stage::name).containsExactly("freeze", "catch-up",
                "sequences", "flip", "settle", "thaw");
        assertThat(runbooks.activities().report.reports).last()
                .satisfies(r -> assertThat(r.freezes()).extracting(WriteFreeze::stages)
                        .containsExactly(atSwitch.stages(), back.stages()));
    }
}
