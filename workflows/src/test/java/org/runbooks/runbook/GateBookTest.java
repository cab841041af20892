package org.runbooks.runbook;

import org.junit.jupiter.api.Test;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.GateVerdict;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The gate book as plain state: quorum, refusals, the two-person rule, the audit trail of every attempt. */
class GateBookTest {

    private static final String AT = "2026-01-01T00:00:00Z";

    private static GateStep gate(int quorum, boolean twoPersonRule) {
        return new GateStep("go", List.of("ann", "bob", "alice"), quorum, null, GateTimeoutPolicy.ROLLBACK,
                twoPersonRule, null);
    }

    @Test
    void aQuorumOfDistinctApproversDecidesAndEveryAttemptIsAudited() {
        GateBook gates = new GateBook();
        gates.open("cutover", gate(2, false), "sha256:0");

        assertThat(gates.decide(new GateDecision("go", "ann", "ok"), true, AT, "wf")).isEmpty();
        assertThat(gates.decide(new GateDecision("go", "ann", "again"), true, AT, "wf")).isEmpty();
        assertThat(gates.decide(new GateDecision("go", "eve", "me too"), true, AT, "wf")).isEmpty();
        assertThat(gates.decide(new GateDecision("other", "bob", null), true, AT, "wf")).isEmpty();
        Optional<GateVerdict> verdict = gates.decide(new GateDecision("go", "bob", "fine"), true, AT, "wf");

        assertThat(verdict).contains(new GateVerdict("go", true, "gate go approved by ann, bob"));
        assertThat(gates.audit()).extracting(GateAuditEntry::by, GateAuditEntry::accepted, GateAuditEntry::refusal)
                .containsExactly(
                        tuple("ann", true, null),
                        tuple("ann", false, "'ann' already approved gate 'go'"),
                        tuple("eve", false, "'eve' is not an approver of gate 'go' (approvers: ann, bob, alice)"),
                        tuple("bob", false, "gate 'other' is not waiting; the waiting gate is 'go'"),
                        tuple("bob", true, null));
    }

    @Test
    void oneRejectionDecidesAtOnce() {
        GateBook gates = new GateBook();
        gates.open("cutover", gate(2, false), "sha256:0");

        assertThat(gates.decide(new GateDecision("go", "bob", "p99 doubled"), false, AT, "wf"))
                .contains(new GateVerdict("go", false, "gate go rejected by bob: p99 doubled"));
    }

    @Test
    void underTheTwoPersonRuleTheStarterAloneIsNotAQuorum() {
        GateBook gates = new GateBook();
        gates.startedBy("alice");
        gates.open("cutover", gate(1, true), "sha256:0");

        assertThat(gates.decide(new GateDecision("go", "alice", "mine"), true, AT, "wf")).isEmpty();
        assertThat(gates.isWaiting()).isTrue();
        assertThat(gates.decide(new GateDecision("go", "ann", "second pair of eyes"), true, AT, "wf"))
                .map(GateVerdict::approved).contains(true);
    }

    @Test
    void withNoGateOpenOrNoOneNamedADecisionIsRefusedAndStillAudited() {
        GateBook gates = new GateBook();

        assertThat(gates.decide(new GateDecision("go", "ann", null), true, AT, "wf")).isEmpty();
        assertThat(gates.decide(new GateDecision("go", null, null), true, AT, "wf")).isEmpty();
        assertThat(gates.decide(null, false, AT, "wf")).isEmpty();

        assertThat(gates.audit()).extracting(GateAuditEntry::refusal).containsExactly("no gate is waiting",
                GateBook.malformed(null).orElseThrow(), GateBook.malformed(null).orElseThrow());
        assertThat(gates.audit()).extracting(GateAuditEntry::decision).containsExactly("approve", "approve", "reject");
    }

    @Test
    void aTimeoutIsAuditedAsTheGatesOwnDecisionAndTheAuditSurvivesARestore() {
        GateBook gates = new GateBook();
        gates.open("cutover", gate(1, false), "sha256:0");
        gates.timedOut("go", true, "proceed: validated", AT);
        gates.close();

        GateBook next = new GateBook();
        next.restore(gates.audit(), 0);

        assertThat(next.isWaiting()).isFalse();
        assertThat(next.audit()).containsExactly(
                new GateAuditEntry("go", "timeout", "approve", "proceed: validated", true, null, AT));
        assertThat(next.view("wf")).isNull();
    }
}
