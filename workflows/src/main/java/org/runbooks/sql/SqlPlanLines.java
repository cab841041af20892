package org.runbooks.sql;

import org.runbooks.model.SqlStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;

import java.util.List;

import static org.runbooks.step.PlanLines.oneLine;

/** A SQL step in the words of {@code plan}: the statement it applies and the one that reverts it. */
public final class SqlPlanLines implements PlanLines<SqlStep> {

    @Override
    public List<String> does(SqlStep s, KeyRanges keyRanges) {
        return List.of("run on " + s.connection() + ": " + oneLine(s.apply()));
    }

    @Override
    public String compensation(SqlStep s) {
        return s.irreversible()
                ? "irreversible (no revert: a rollback cannot undo it)"
                : "run on " + s.connection() + ": " + oneLine(s.revert());
    }
}
