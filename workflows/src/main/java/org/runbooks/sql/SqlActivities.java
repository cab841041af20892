package org.runbooks.sql;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.runbooks.api.SqlRun;

/** Runs a runbook's own SQL (an {@code apply} or its {@code revert}). */
@ActivityInterface
public interface SqlActivities {

    /**
     * Runs {@code run.sql()} in one transaction on {@code run.connection()}, exactly once per
     * {@code run.idempotencyKey()} (run id + step id + apply/revert): the key is recorded on that connection in the same
     * transaction, and a run whose key is recorded does nothing. A revert ({@code run.undoes()} set) runs only if the
     * apply it names committed. Where the database commits DDL on its own (MariaDB, MySQL), the statement and its
     * record are two commits, so the statement must itself be safe to repeat. A cancel stops the statement
     * ({@code Statement.cancel()}) and rolls it back. Returns what it did, for the compensation log.
     */
    @ActivityMethod(name = "RunSql")
    String runSql(SqlRun run);
}
