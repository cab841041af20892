package org.runbooks.parse;

import org.runbooks.runbook.StreamedCopy;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import org.junit.jupiter.api.Test;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.model.StepKind;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StepKinds} lists every kind once with its own record, so that the parser, the phase and {@code plan},
 * which dispatch through it, cannot meet a kind without its parts: the exhaustiveness a {@code switch} over the
 * sealed {@link Step} used to give in each of them.
 */
class StepKindsTest {

    /** One step of every kind, each tied as the parser ties it (the catch-up and the cutover to the stream). */
    private static final String EVERY_KIND = StreamedCopy.runbook("every-kind", "only") + """
                  - id: parity
                    validate:
                      between: { source: legacy.orders, target: target.orders_v2 }
                      key: [id]
                  - id: read-v2
                    flag: { connection: target, name: orders.read_v2, percent: 10 }
                  - id: view
                    sql: { connection: target, apply: "create view v as select 1", revert: "drop view v" }
                  - id: go
                    gate: { approvers: [dba], timeout: P1D }
                  - id: soak
                    wait: { duration: PT30M, revalidate: parity, every: PT5M }
                  - id: tell
                    notify: { webhook: ops, message: "switching" }
                  - id: caught-up
                    catchUp: { stream: orders-stream, maxLag: PT5S }
                  - id: switch
                    cutover:
                      stream: orders-stream
                      freeze: [orders]
                      flags: [{ connection: legacy, name: orders.write_v2, enabled: true }]
            """;

    @Test
    void everyKindIsListedOnceWithTheRecordItsJsonTypeNameNames() {
        Map<StepKind, Class<? extends Step>> types = StepKinds.types();

        assertThat(types.keySet()).isEqualTo(EnumSet.allOf(StepKind.class));
        assertThat(List.<Class<?>>copyOf(types.values())).containsExactlyInAnyOrder(Step.class.getPermittedSubclasses());
        Map<String, Class<?>> jsonNames = Arrays.stream(Step.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(JsonSubTypes.Type::name, JsonSubTypes.Type::value));
        types.forEach((kind, type) -> assertThat(jsonNames.get(kind.text())).as(kind.text()).isEqualTo(type));
    }

    @Test
    void everyKindIsReadTiedAndPlannedThroughItsParts() {
        Runbook runbook = new RunbookParser(null).parse(EVERY_KIND, "every-kind.yaml");
        List<Step> steps = runbook.phases().get(0).steps();

        assertThat(steps.stream().map(Step::kind)).containsExactlyInAnyOrder(StepKind.values());
        for (Step step : steps) {
            assertThat(StepKinds.does(step, null)).as(step.id()).isNotEmpty().allSatisfy(
                    line -> assertThat(line).isNotBlank());
            assertThat(StepKinds.compensation(step)).as(step.id()).isNotBlank();
        }
        assertThat(StepKinds.does(runbook.step("switch").orElseThrow(), null).get(0))
                .startsWith("switch from legacy.orders to target.orders_v2");
        assertThat(StepKinds.does(runbook.step("caught-up").orElseThrow(), null))
                .containsExactly("wait until stream orders-stream is less than 5s behind its source, for at most"
                        + " 10m; the step fails with the measured lag otherwise");
    }
}
