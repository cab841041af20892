package org.runbooks.parse;

import java.util.List;
import java.util.stream.Collectors;

/** A runbook that failed its checks. It carries every error found, not just the first. */
public class InvalidRunbookException extends RuntimeException {

    private final List<RunbookError> errors;

    public InvalidRunbookException(List<RunbookError> errors) {
        super(errors.size() + " error(s) in runbook:\n" +
                RunbookErrorLines.of(errors).stream().map(line -> "  " + line).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<RunbookError> errors() {
        return errors;
    }
}
