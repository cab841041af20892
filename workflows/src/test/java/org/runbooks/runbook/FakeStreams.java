package org.runbooks.runbook;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamDropped;
import org.runbooks.stream.StreamLag;
import org.runbooks.stream.StreamRunResult;
import org.runbooks.stream.StreamSpec;
import org.runbooks.stream.StreamStarted;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams that remember what they were asked: {@code runStream} heartbeats until {@code stopStream} asks it to stop
 * (as the real one reads the stop request from the target) or it is cancelled, and records both ends.
 */
final class FakeStreams implements StreamActivities {

    private final List<String> calls;
    private final java.util.Map<String, java.util.concurrent.CountDownLatch> stops = new ConcurrentHashMap<>();
    final AtomicInteger running = new AtomicInteger();
    /** What {@code streamLag} answers, in seconds behind. */
    volatile double lagSeconds;
    /** When set, the running apply fails for good with this message (once), as a schema change on the source does. */
    volatile String failsWith;

    FakeStreams(List<String> calls) {
        this.calls = calls;
    }

    /** The streams started and not dropped: only they have an applied position, as in the target's position table. */
    private final java.util.Set<String> started = ConcurrentHashMap.newKeySet();

    @Override
    public StreamStarted startStream(StreamSpec spec) {
        calls.add("startStream:" + step(spec));
        started.add(spec.streamId());
        return new StreamStarted("postgres", "slot", "publication", "0/1", true, true, List.of());
    }

    @Override
    public StreamRunResult runStream(StreamSpec spec) {
        calls.add("runStream:" + step(spec));
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        stops.put(spec.streamId(), stop);
        ActivityExecutionContext context = Activity.getExecutionContext();
        running.incrementAndGet();
        try {
            while (!awaitStop(stop)) {
                String failure = failsWith;
                if (failure != null) {
                    failsWith = null;
                    calls.add("runStream failed:" + step(spec));
                    throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(failure, "StreamSchemaChanged");
                }
                context.heartbeat(null);
            }
            calls.add("runStream returned:" + step(spec));
            return new StreamRunResult(0, "0/1", "stop requested");
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public StreamLag stopStream(StreamSpec spec) {
        calls.add("stopStream:" + step(spec));
        java.util.concurrent.CountDownLatch stop = stops.get(spec.streamId());
        if (stop != null) {
            stop.countDown();
        }
        return lag();
    }

    @Override
    public StreamDropped dropStream(StreamSpec spec) {
        calls.add("dropStream:" + step(spec));
        started.remove(spec.streamId());
        return new StreamDropped(List.of("replication slot slot", "publication publication"));
    }

    @Override
    public StreamLag streamLag(StreamSpec spec) {
        calls.add("streamLag:" + step(spec));
        if (!started.contains(spec.streamId())) {
            return new StreamLag(-1, -1, -1, 0, null, null, 0, false);
        }
        return new StreamLag(lagSeconds, 0, 0, 0, "0/1", "0/1", 0, true);
    }

    /** Whether {@code awaitApplied} reports the stream caught up; per stream step id, true when not listed. */
    final java.util.Map<String, Boolean> catchesUp = new ConcurrentHashMap<>();

    @Override
    public org.runbooks.stream.SourcePosition sourcePosition(StreamSpec spec) {
        calls.add("sourcePosition:" + step(spec));
        return new org.runbooks.stream.SourcePosition(spec.streamId(), "0/2", 0);
    }

    @Override
    public org.runbooks.stream.AppliedWait awaitApplied(org.runbooks.stream.AwaitApplied request) {
        boolean reached = catchesUp.getOrDefault(step(request.spec()), true);
        calls.add("awaitApplied:" + step(request.spec()) + (reached ? "" : " (not caught up)"));
        return new org.runbooks.stream.AppliedWait(reached, request.position(),
                new StreamLag(reached ? 0 : 12, 0, 0, 0, reached ? "0/2" : "0/1", "0/2", 0, true), 1);
    }

    /** Waits up to 20 ms for a stop request; true once there is one. */
    private static boolean awaitStop(java.util.concurrent.CountDownLatch stop) {
        try {
            return stop.await(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        }
    }

    private static StreamLag lag() {
        return new StreamLag(0, 0, 0, 0, "0/1", "0/1", 0, true);
    }

    private static String step(StreamSpec spec) {
        return spec.streamId().substring(spec.streamId().lastIndexOf('/') + 1);
    }
}
