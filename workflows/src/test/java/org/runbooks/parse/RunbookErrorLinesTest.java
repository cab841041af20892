package org.runbooks.parse;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RunbookErrorLinesTest {

    @Test
    void aConnectionMissingInFourteenPlacesIsOneLineWithTheCountAndThePlaces() throws Exception {
        String file = "runbooks/sales-wide-to-star.yaml";
        String text = Files.readString(Path.of("..", file));

        InvalidRunbookException e = catchThrowableOfType(InvalidRunbookException.class,
                () -> new RunbookParser(Set.of("legacy", "target"), Set.of()).parse(text, file));

        assertThat(e.errors()).hasSize(14);
        assertThat(e.getMessage().lines().toList()).containsExactly(
                "14 error(s) in runbook:",
                "  runbooks/sales-wide-to-star.yaml:14:13: phases[0].steps[0].backfill.from.connection: unknown"
                        + " connection 'warehouse'; the worker knows [legacy, target] (14 times; also at 18:17, 24:13,"
                        + " 28:17, 33:19, 34:17, 50:25, 51:25, 53:25, 54:25, 57:15, and 3 more)");
    }

    @Test
    void differentMessagesStayOneLineEachInTheirOrder() {
        List<RunbookError> errors = List.of(
                new RunbookError("x.yaml", 3, 1, "name", "is required"),
                new RunbookError("x.yaml", 5, 7, "phases[0].name", "is required"),
                new RunbookError("x.yaml", 6, 9, "phases[0].steps", "must not be empty"));

        assertThat(RunbookErrorLines.of(errors)).containsExactly(
                "x.yaml:3:1: name: is required (2 times; also at 5:7)",
                "x.yaml:6:9: phases[0].steps: must not be empty");
    }
}
