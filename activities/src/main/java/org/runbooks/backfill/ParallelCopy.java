package org.runbooks.backfill;

import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.connect.ConnectionRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one {@link RangeCopier} per key range, all at once, each on its own thread and connections, and returns only
 * when every one of them has stopped: a cancelled or failed copy never leaves a chunk being written behind it, so a
 * rollback that follows cannot race a range still copying.
 */
final class ParallelCopy {

    private ParallelCopy() {
    }

    /**
     * Copies every range from its recorded progress.
     *
     * @return each range's progress at the end, in range order
     * @throws Exception the cancellation as the SDK raised it, or the first range's failure
     */
    static List<CopyProgress> run(ConnectionRegistry connections, CopyJob job, List<CopyRange> ranges,
                                  List<CopyProgress> resumed, CopyControl control) throws Exception {
        List<Future<CopyProgress>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(ranges.size(),
                Thread.ofPlatform().name("backfill-range-", 1).daemon().factory())) {
            for (int i = 0; i < ranges.size(); i++) {
                RangeCopier slice = new RangeCopier(connections, job, ranges.get(i), resumed.get(i), control);
                running.add(threads.submit(() -> {
                    try {
                        return slice.call();
                    } catch (Exception e) {
                        control.stop(e);
                        throw e;
                    }
                }));
            }
        }
        control.throwIfStopped();
        return running.stream().map(Future::resultNow).toList();
    }
}
