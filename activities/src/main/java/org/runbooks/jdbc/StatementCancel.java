package org.runbooks.jdbc;

import io.temporal.client.ActivityCompletionException;

import java.sql.Statement;

/**
 * How work that runs JDBC statements for an activity hears of the activity's cancel: the statement a cancel stops
 * ({@link #cancels}), and a check before each step and before it commits ({@link #throwIfCancelled}), so that a
 * rollback that cancels the activity finds it stopped, its transaction rolled back and its locks released, rather
 * than running on and committing after the undo. {@link KeepAlive} is the activity's; {@link #NONE} is for work run
 * outside an activity, which nothing cancels.
 */
public interface StatementCancel {

    /** Nothing cancels: statements run to their end. */
    StatementCancel NONE = new StatementCancel() {
        @Override
        public <S extends Statement> S cancels(S statement) {
            return statement;
        }

        @Override
        public void throwIfCancelled() {
        }
    };

    /** Makes {@code statement} the one a cancel stops ({@link Statement#cancel()}), and returns it. */
    <S extends Statement> S cancels(S statement);

    /**
     * Throws the activity's cancel (or loss) if one came.
     *
     * @throws ActivityCompletionException when the activity is cancelled or gone
     */
    void throwIfCancelled();
}
