package org.runbooks.stream;

import org.runbooks.model.StreamStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;

import java.util.List;

/** A stream in the words of {@code plan}: where it starts, what it keeps in step, and what stopping it drops. */
public final class StreamPlanLines implements PlanLines<StreamStep> {

    @Override
    public List<String> does(StreamStep st, KeyRanges keyRanges) {
        return List.of("fix a start position on " + st.from().connection() + " (a replication slot"
                        + " and publication on PostgreSQL, the binlog position on MariaDB), then keep " + st.to()
                        + " in step with " + st.from() + " by " + st.key() + " until the runbook ends",
                st.awaitsCopies().isEmpty() ? "applies at once"
                        : "holds its changes until backfill " + String.join(", ", st.awaitsCopies())
                        + " completed, then applies everything since its start");
    }

    @Override
    public String compensation(StreamStep st) {
        return "stop the stream and drop the replication slot and publication it created on "
                + st.from().connection() + " (first, before any other compensation); no row is touched";
    }
}
