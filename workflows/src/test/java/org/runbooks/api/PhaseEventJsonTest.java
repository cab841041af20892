package org.runbooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import org.junit.jupiter.api.Test;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PhaseEvent} is sealed now, one record per kind; the {@code phaseEvent} signals in recorded histories carry
 * the old eleven-field shape, which must still read as the right record, and a timed-out gate's verdict, once a
 * {@code "proceed: "} prefix of its detail, must read the same as the boolean that replaced it.
 */
class PhaseEventJsonTest {

    private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

    /** An event as phases sent it before: every field of every kind, most of them null. */
    private static String asBefore(String kind, String detail) {
        return """
                {"kind":"%s","phase":"cutover","step":"go","compensation":null,"gate":null,"rowsCopied":0,\
                "evidence":null,"detail":%s,"progress":null,"throttle":null,"trouble":null}"""
                .formatted(kind, detail == null ? "null" : "\"" + detail + "\"");
    }

    @Test
    void everyKindRecordedInTheOldShapeReadsAsItsRecord() throws Exception {
        for (PhaseEvent.Kind kind : PhaseEvent.Kind.values()) {
            PhaseEvent event = JSON.readValue(asBefore(kind.name(), null), PhaseEvent.class);
            assertThat(event.kind()).isEqualTo(kind);
            assertThat(event.phase()).isEqualTo("cutover");
            assertThat(event.step()).isEqualTo("go");
        }
        assertThat(JSON.readValue(asBefore("STEP_FAILED", "lock timeout"), PhaseEvent.class))
                .isEqualTo(new PhaseEvent.StepFailed("cutover", "go", "lock timeout"));
    }

    @Test
    void aTimedOutGateRecordedWithAPrefixReadsItsVerdictAndReason() throws Exception {
        var proceeded = (PhaseEvent.GateTimedOut) JSON.readValue(
                asBefore("GATE_TIMED_OUT", "proceed: gate go timed out after PT4H; proceeding"), PhaseEvent.class);
        var rejected = (PhaseEvent.GateTimedOut) JSON.readValue(
                asBefore("GATE_TIMED_OUT", "reject: gate go timed out after PT4H and no validation ran before it"),
                PhaseEvent.class);

        assertThat(proceeded.proceeds()).isTrue();
        assertThat(proceeded.reason()).isEqualTo("gate go timed out after PT4H; proceeding");
        assertThat(proceeded.verdict()).isEqualTo("proceed: gate go timed out after PT4H; proceeding");
        assertThat(rejected.proceeds()).isFalse();
        assertThat(rejected.reason()).isEqualTo("gate go timed out after PT4H and no validation ran before it");
        assertThat(rejected.verdict()).startsWith("reject: gate go timed out");
    }

    @Test
    void aTimedOutGateSentNowCarriesTheVerdictAsABooleanAndTheSameAuditText() throws Exception {
        GateStep gate = new GateStep("go", List.of("ann"), 1, Duration.ofHours(4), GateTimeoutPolicy.ROLLBACK,
                false, null);
        PhaseEvent sent = PhaseEvent.gateTimedOut("cutover", gate, false, "gate go timed out after PT4H");

        JsonNode json = JSON.readTree(JSON.writeValueAsString(sent));
        assertThat(json.get("kind").asText()).isEqualTo("GATE_TIMED_OUT");
        assertThat(json.get("proceed").asBoolean()).isFalse();
        assertThat(json.get("detail").asText()).isEqualTo("gate go timed out after PT4H");
        var read = (PhaseEvent.GateTimedOut) JSON.readValue(json.toString(), PhaseEvent.class);
        assertThat(read).isEqualTo(sent);
        assertThat(read.verdict()).isEqualTo(((PhaseEvent.GateTimedOut) PhaseEvent.gateTimedOutAsBefore("cutover",
                gate, false, "gate go timed out after PT4H")).verdict());
    }

    @Test
    void eachRecordWritesItsKindAndOnlyItsOwnFieldsAndReadsBackEqual() throws Exception {
        List<PhaseEvent> events = List.of(
                PhaseEvent.started("p", "s", new Compensation.Irreversible("s")),
                PhaseEvent.completed("p", "s", 42, null),
                PhaseEvent.failed("p", "s", "why"),
                PhaseEvent.progress("p", new BackfillProgress("s", 1, 2, 50, 10, null)),
                PhaseEvent.trouble(new StepTrouble("p", "s", "CopySlice", 2, "refused", "now")));
        for (PhaseEvent event : events) {
            JsonNode json = JSON.readTree(JSON.writeValueAsString(event));
            assertThat(json.get("kind").asText()).isEqualTo(event.kind().name());
            assertThat(json.has("gate") || json.has("throttle")).as("no field of another kind").isFalse();
            assertThat(JSON.readValue(json.toString(), PhaseEvent.class)).isEqualTo(event);
        }
    }
}
