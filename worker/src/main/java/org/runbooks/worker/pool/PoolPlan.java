package org.runbooks.worker.pool;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.model.TableRef;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The part of {@code plan} that says how many connections this worker opens to each database the runbook names,
 * and which backfills run more slices at once than their databases' caps allow (those slices wait their turn).
 */
public final class PoolPlan {

    private PoolPlan() {
    }

    public static String render(Runbook runbook, PooledConnectionRegistry pools) {
        Set<String> named = new LinkedHashSet<>();
        StringBuilder waits = new StringBuilder();
        for (Phase phase : runbook.phases()) {
            for (Step step : phase.steps()) {
                if (step instanceof BackfillStep b) {
                    for (TableRef side : new TableRef[] {b.from(), b.to()}) {
                        if (side == null) {
                            continue;
                        }
                        named.add(side.connection());
                        Integer cap = pools.cap(side.connection());
                        if (cap != null && b.parallelism() > cap) {
                            waits.append("  ").append(b.id()).append(": parallelism ").append(b.parallelism())
                                    .append(" needs ").append(b.parallelism()).append(" connections to ")
                                    .append(side.connection()).append(", which allows ").append(cap)
                                    .append(": ").append(b.parallelism() - cap).append(" slice(s) wait for one\n");
                        }
                    }
                }
            }
        }
        named.addAll(pools.names());
        StringBuilder out = new StringBuilder("Connection pools on this worker:\n");
        for (String name : named) {
            Integer cap = pools.cap(name);
            if (cap != null) {
                out.append("  ").append(name).append(": at most ").append(cap).append(" connection(s) at once")
                        .append(" (runbooks.connections.").append(name).append(".max-connections)\n");
            }
        }
        return out.append(waits).append('\n').toString();
    }
}
