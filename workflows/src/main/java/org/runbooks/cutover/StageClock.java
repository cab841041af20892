package org.runbooks.cutover;

import io.temporal.workflow.Workflow;
import org.runbooks.api.WriteFreeze;

import java.util.ArrayList;
import java.util.List;

/**
 * The durations of a switch's (or a switch back's) stages, in their order. The workflow clock moves only between
 * workflow tasks, and the calls inside a freeze run as local activities within one task, so a stage counts the longer
 * of the workflow clock's time since the stage before and what its own activities measured (the freeze's wait for
 * open transactions, the streams' wait to catch up, the sequences' move): never more than it took.
 */
public final class StageClock {

    private final List<WriteFreeze.Stage> stages = new ArrayList<>();
    private long since = Workflow.currentTimeMillis();

    /** Ends stage {@code name}, which its activities measured as {@code measuredMillis} (0: not measured). */
    public void end(String name, long measuredMillis) {
        long now = Workflow.currentTimeMillis();
        stages.add(new WriteFreeze.Stage(name, Math.max(now - since, measuredMillis)));
        since = now;
    }

    /** Ends stage {@code name} by the workflow clock alone. */
    public void end(String name) {
        end(name, 0);
    }

    /** Starts the next stage now, leaving out the time since the last (registrations that wait on nothing). */
    public void restart() {
        since = Workflow.currentTimeMillis();
    }

    public List<WriteFreeze.Stage> stages() {
        return List.copyOf(stages);
    }
}
