package org.runbooks.preflight;

import org.junit.jupiter.api.Test;
import org.runbooks.model.Step;
import org.runbooks.model.StepKind;
import org.runbooks.model.TableRef;
import org.runbooks.parse.StepKinds;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kind of step whose record names a database (a {@code connection}, a table, or flags to set) has a pre-flight
 * check in {@link StepChecks}, and a kind that names none has none: a new kind cannot reach a database unchecked.
 */
class StepChecksTest {

    @Test
    void exactlyTheKindsWhoseRecordNamesADatabaseHaveACheck() {
        Set<StepKind> namingADatabase = EnumSet.noneOf(StepKind.class);
        for (Map.Entry<StepKind, Class<? extends Step>> kind : StepKinds.types().entrySet()) {
            if (Arrays.stream(kind.getValue().getRecordComponents()).anyMatch(StepChecksTest::namesADatabase)) {
                namingADatabase.add(kind.getKey());
            }
        }

        assertThat(namingADatabase).as("the kinds whose record names a connection, a table or flags")
                .contains(StepKind.BACKFILL, StepKind.FLAG, StepKind.CUTOVER)
                .doesNotContain(StepKind.GATE, StepKind.WAIT, StepKind.NOTIFY);
        assertThat(StepChecks.kinds()).isEqualTo(namingADatabase);
    }

    /**
     * A {@code connection} field, a table ({@link TableRef}), or a list of steps that name one (a cutover's flags).
     * A step another step is tied to (a catch-up's stream) is checked where it stands, so it does not count.
     */
    private static boolean namesADatabase(RecordComponent component) {
        if (component.getName().equals("connection") || component.getType() == TableRef.class) {
            return true;
        }
        Type generic = component.getGenericType();
        return generic instanceof ParameterizedType list && list.getActualTypeArguments()[0] instanceof Class<?> item
                && Step.class.isAssignableFrom(item) && item.isRecord()
                && Arrays.stream(item.getRecordComponents()).anyMatch(StepChecksTest::namesADatabase);
    }
}
