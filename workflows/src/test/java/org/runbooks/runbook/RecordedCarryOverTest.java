package org.runbooks.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.RunbookCarryOver;
import org.runbooks.api.RunbookRequest;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continue-as-new inputs recorded from the code before the re-plan moved the classes (a runbook's carry-over at its
 * fifth run, a phase's carry mid-copy) must still deserialize into today's types, lose no field when written again,
 * and the runs that started from them must still replay: a runbook in flight at the upgrade goes on.
 */
class RecordedCarryOverTest {

    private static final Path DIR = Path.of("src", "test", "resources", "carry-overs");
    private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

    @Test
    void aRecordedRunbookCarryOverDeserializesWithEveryField() throws Exception {
        String recorded = Files.readString(DIR.resolve("runbook-carry-over.json"));

        RunbookRequest request = JSON.readValue(recorded, RunbookRequest.class);

        assertThat(request.unknownFields()).isEmpty();
        RunbookCarryOver carry = request.carryOver();
        assertThat(carry.nextPhase()).isEqualTo(4);
        assertThat(carry.loaded().runbook().name()).isEqualTo("long-haul");
        assertThat(carry.knobs().chunkRows()).isEqualTo(500);
        assertThat(carry.knobs().rowsPerSecond()).isEqualTo(2000L);
        assertThat(carry.audit()).extracting(GateAuditEntry::by).containsExactly("eve", "ann");
        assertThat(carry.evidence()).extracting(e -> e.stepId()).containsExactly("parity");
        assertThat(carry.controls()).extracting(ControlEntry::command).containsExactly("tune", "pause", "resume");
        assertThat(carry.compensations()).extracting(c -> c.compensation().stepId())
                .containsExactly("copy", "shadow", "compat-view", "copy-items");
        assertThat(carry.reporting().phases()).hasSize(4);
        assertKeepsEveryField(JSON.readTree(JSON.writeValueAsString(request)), JSON.readTree(recorded), "");
    }

    /**
     * Written again, the JSON holds every recorded field with its recorded value; fields added to the contract since
     * (api/ changes only by adding fields) may appear beside them, and only as null, false, 0 or empty.
     */
    private static void assertKeepsEveryField(JsonNode written, JsonNode recorded, String path) {
        if (recorded.isObject()) {
            assertThat(written.isObject()).as(path).isTrue();
            recorded.fieldNames().forEachRemaining(name -> {
                assertThat(written.has(name)).as(path + "." + name + " kept").isTrue();
                assertKeepsEveryField(written.get(name), recorded.get(name), path + "." + name);
            });
            written.fieldNames().forEachRemaining(name -> {
                if (!recorded.has(name)) {
                    JsonNode added = written.get(name);
                    assertThat(added.isNull() || added.isBoolean() && !added.asBoolean()
                            || added.isNumber() && added.asDouble() == 0 || added.isContainerNode()
                            && (added.isEmpty() || added.findValues("keys").stream().allMatch(JsonNode::isEmpty)))
                            .as(path + "." + name + " added as an empty default, not " + added).isTrue();
                }
            });
        } else if (recorded.isArray()) {
            assertThat(written.size()).as(path + " size").isEqualTo(recorded.size());
            for (int i = 0; i < recorded.size(); i++) {
                assertKeepsEveryField(written.get(i), recorded.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(written).as(path).isEqualTo(recorded);
        }
    }

    @Test
    void aRecordedPhaseCarryMidCopyDeserializesWithEveryField() throws Exception {
        String recorded = Files.readString(DIR.resolve("phase-carry-over.json"));

        PhaseRequest request = JSON.readValue(recorded, PhaseRequest.class);

        assertThat(request.carry().knobs().chunkRows()).isEqualTo(500);
        assertThat(request.carry().copy().ranges()).hasSize(4);
        assertThat(request.carry().copy().ranges().get(1).from()).isEqualTo(30001L);
        assertThat(request.carry().copy().cursors().get(0).rowsCopied()).isEqualTo(7000L);
        assertThat(request.carry().copy().cursors().get(0).lastKey()).containsExactly("7000");
        assertKeepsEveryField(JSON.readTree(JSON.writeValueAsString(request)), JSON.readTree(recorded), "");
    }

    @Test
    void theRunsThatStartedFromThemReplay() throws Exception {
        String[][] runs = {{"runbook-carry-over-history.json", "rb-test"}, {"phase-carry-over-history.json", "rb-test/copy"}};
        for (String[] run : runs) {
            WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(
                    Files.readString(DIR.resolve(run[0])), run[1]);
            WorkflowReplayer.replayWorkflowExecution(history, RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
        }
    }
}
