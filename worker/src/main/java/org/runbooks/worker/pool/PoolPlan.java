package org.runbooks.worker.pool;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.model.TableRef;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code plan} that says how many connections this worker may open to each database at once,
 * and which backfills run more slices at once than their databases' caps allow (those slices wait their turn).
 */
public final class PoolPlan {

    private PoolPlan() {
    }

    public static String render(Runbook runbook, CappedConnectionRegistry caps) {
        Set<String> named = new LinkedHashSet<>();
        StringBuilder waits = new StringBuilder();
        for (Phase phase : runbook.phases()) {
            for (Step step : phase.steps()) {
                if (step instanceof BackfillStep b) {
                    // Each running slice holds one connection on each side: two when both sides are one database.
                    Map<String, Integer> need = new LinkedHashMap<>();
                    for (TableRef side : new TableRef[] {b.from(), b.to()}) {
                        if (side != null) {
                            named.add(side.connection());
                            need.merge(side.connection(), b.parallelism(), Integer::sum);
                        }
                    }
                    need.forEach((connection, connections) -> {
                        Integer cap = caps.cap(connection);
                        if (cap != null && connections > cap) {
                            waits.append("  ").append(b.id()).append(": parallelism ").append(b.parallelism())
                                    .append(" needs ").append(connections).append(" connections to ")
                                    .append(connection).append(", which allows ").append(cap)
                                    .append(": some slices wait for one\n");
                        }
                    });
                }
            }
        }
        named.addAll(caps.names());
        StringBuilder out = new StringBuilder("Connection caps on this worker:\n");
        for (String name : named) {
            Integer cap = caps.cap(name);
            if (cap != null) {
                out.append("  ").append(name).append(": at most ").append(cap).append(" connection(s) at once")
                        .append(" (runbooks.connections.").append(name).append(".max-connections)\n");
            }
        }
        return out.append(waits).append('\n').toString();
    }
}
