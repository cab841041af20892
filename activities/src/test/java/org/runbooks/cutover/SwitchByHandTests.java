package org.runbooks.cutover;

import org.junit.jupiter.api.Test;
import org.runbooks.stream.AppliedWait;
import org.runbooks.stream.AwaitApplied;
import org.runbooks.stream.SourcePosition;
import org.runbooks.stream.StreamLag;
import org.runbooks.stream.StreamRunResult;
import org.runbooks.stream.StreamSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reversible switch run by hand through the activities, on a real database (one subclass per kind), while a
 * live client writes the whole time: stream source → target, lag pre-check, freeze the source, take its position,
 * wait until the target applied it, stop the stream, move the target's sequences, fix the reverse stream's start
 * while frozen, flip the write flag, thaw, run the reverse stream; then the rollback the same way in reverse. Every
 * acknowledged write is on the side that is live at the end, both sides are equal by a digest computed here, and the
 * write unavailability and the client's longest stall are measured. A second test: the catch-up cannot finish in
 * time, the switch is abandoned, the source thawed, nothing lost.
 *
 * <p>{@code -Dswitch.cycles=N} runs N cutover-and-rollback cycles (2N switches) for a measurement; the default, 1,
 * is the short run for CI. {@code -Dswitch.rate=W} sets the client's steady writes per second (default 200).
 */
abstract class SwitchByHandTests {

    private final CutoverPair.Kind kind;
    private final String name;

    SwitchByHandTests(CutoverPair.Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    private static final String LEGACY = CutoverPair.LEGACY;
    private static final String TARGET = CutoverPair.TARGET;
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final int CYCLES = Integer.getInteger("switch.cycles", 1);
    private static final int RATE = Integer.getInteger("switch.rate", 200);

    /** What one switch measured, in ms from the start of its freeze. */
    record Switch(String name, long frozenAt, long caughtUpAt, long reverseFixedAt, long flippedAt, long clientMovedAt,
                  long thawedAt) {
        @Override
        public String toString() {
            return String.format("%s: freeze %d, caught up %d, sequences + reverse start %d, flag flipped %d, client "
                    + "writing on the new side %d, thawed %d (ms from the freeze's start)", name, frozenAt,
                    caughtUpAt, reverseFixedAt, flippedAt, clientMovedAt, thawedAt);
        }
    }

    /** The switch and its rollback ({@code -Dswitch.cycles} times); a subclass runs it as its test. */
    void switchAndRollBack() throws Exception {
        CutoverPair pair = new CutoverPair(kind, "switch_" + name);
        List<Switch> switches = new ArrayList<>();
        List<StreamSpec> streams = new ArrayList<>();
        try (SwitchDrill drill = new SwitchDrill(pair)) {
            StreamSpec forward = CutoverPair.spec("run-1/orders-stream-0", LEGACY, TARGET);
            streams.add(forward);
            drill.streams.startStream(forward);
            drill.writesOnTarget(false);
            LiveClient client = drill.client(RATE, 1);
            Thread writer = Thread.ofPlatform().name("live client").start(client);
            client.awaitAcknowledged(0, 200, Duration.ofSeconds(60));
            pair.copy();
            CompletableFuture<StreamRunResult> forwardRun = drill.run(forward);
            client.awaitAcknowledged(client.acknowledged(), 300, Duration.ofSeconds(60));

            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                // The switch.
                preCheck(drill, forward);
                StreamSpec reverse = CutoverPair.spec("run-1/orders-reverse-" + cycle, TARGET, LEGACY);
                streams.add(reverse);
                switches.add(flip(drill, client, forward, forwardRun, reverse, LEGACY, TARGET,
                        "run-1/cutover-" + cycle));
                CompletableFuture<StreamRunResult> reverseRun = drill.run(reverse);
                // The stream that was switched away from has ended; its slot would only keep WAL from now on.
                assertThat(drill.streams.dropStream(forward).dropped()).isNotEmpty();
                client.awaitAcknowledged(client.acknowledged(), 300, Duration.ofSeconds(60)); // the soak
                assertThat(drill.missingOn(client, TARGET)).as("acknowledged writes missing on the target")
                        .isEmpty();

                // The rollback: the same switch in reverse, with a new stream forward for the next cutover.
                preCheck(drill, reverse);
                forward = CutoverPair.spec("run-1/orders-stream-" + cycle, LEGACY, TARGET);
                streams.add(forward);
                switches.add(flip(drill, client, reverse, reverseRun, forward, TARGET, LEGACY,
                        "run-1/rollback-" + cycle));
                forwardRun = drill.run(forward);
                assertThat(drill.streams.dropStream(reverse).dropped()).isNotEmpty();
                client.awaitAcknowledged(client.acknowledged(), 300, Duration.ofSeconds(60));
            }
            client.stop();
            writer.join();
            assertThat(client.failure()).as("the live client's own checks").isNull();

            // The source is live again: it holds every acknowledged write; the forward stream brings the target level.
            assertThat(drill.missingOn(client, LEGACY)).as("acknowledged writes missing on the live side").isEmpty();
            SourcePosition end = drill.streams.sourcePosition(forward);
            assertThat(drill.streams.awaitApplied(new AwaitApplied(forward, end.position(), 60_000)).reached())
                    .isTrue();
            assertThat(pair.digest(TARGET)).as("target equal to source").isEqualTo(pair.digest(LEGACY));
            assertThat(pair.count(LEGACY)).isEqualTo(client.liveRows());

            drill.streams.stopStream(forward);
            forwardRun.get(30, TimeUnit.SECONDS);
            assertThat(drill.streams.dropStream(forward).dropped()).isNotEmpty();
            for (StreamSpec spec : streams) {
                assertThat(drill.streams.dropStream(spec).dropped()).as("dropped once only").isEmpty();
            }
            if (kind == CutoverPair.Kind.POSTGRES) {
                assertThat(pair.scalar(LEGACY, "select count(*) from pg_replication_slots where database in "
                        + "(current_database(), 'switch_" + name + "_target')")).as("slots left").isEqualTo("0");
            }
            long[] unavailable = switches.stream().mapToLong(Switch::clientMovedAt).sorted().toArray();
            System.out.printf("switch drill " + name + ": %d switches at %d writes/s; %d writes acknowledged, %d refused by a "
                            + "freeze and retried, longest stall %d ms (on %s); write unavailability (freeze -> "
                            + "client writing on the new side) median %d ms, p95 %d ms, max %d ms%n",
                    switches.size(), RATE, client.acknowledged(), client.refusals(),
                    client.longestStall().toMillis(), client.longestStallSide(), percentile(unavailable, 50),
                    percentile(unavailable, 95), unavailable[unavailable.length - 1]);
            switches.forEach(s -> System.out.println("  " + s));
        }
    }

    @Test
    void aCatchUpThatCannotFinishInTimeThawsTheSourceAndLosesNothing() throws Exception {
        CutoverPair pair = new CutoverPair(kind, "switch_abort_" + name);
        StreamSpec forward = CutoverPair.spec("run-2/orders-stream", LEGACY, TARGET);
        try (SwitchDrill drill = new SwitchDrill(pair)) {
            drill.streams.startStream(forward);
            drill.writesOnTarget(false);
            LiveClient client = drill.client(RATE, 2);
            Thread writer = Thread.ofPlatform().name("live client").start(client);
            client.awaitAcknowledged(0, 200, Duration.ofSeconds(60));
            pair.copy();
            CompletableFuture<StreamRunResult> run = drill.run(forward);
            preCheck(drill, forward);
            // The stream stops applying (as a throttled or stalled apply would) while the client writes on.
            drill.streams.stopStream(forward);
            run.get(30, TimeUnit.SECONDS);
            client.awaitAcknowledged(client.acknowledged(), 300, Duration.ofSeconds(60));

            long started = System.nanoTime();
            drill.cutover.freezeWrites(new FreezeRequest("run-2/cutover/source", LEGACY, List.of("orders"), 5000));
            SourcePosition position = drill.streams.sourcePosition(forward);
            AppliedWait wait = drill.streams.awaitApplied(new AwaitApplied(forward, position.position(), 2000));
            WritesThawed thawed = drill.cutover.thawWrites(new ThawRequest("run-2/cutover/source", LEGACY));
            long frozenMillis = (System.nanoTime() - started) / 1_000_000L;

            assertThat(wait.reached()).isFalse();
            assertThat(wait.waitedMillis()).isBetween(2000L, 10_000L);
            assertThat(wait.lag().appliedPosition()).isNotEqualTo(wait.lag().sourcePosition());
            assertThat(wait.summary()).startsWith("not caught up with " + position.position());
            assertThat(thawed.removed()).isNotEmpty();
            // Writes resume on the source, and the stream, run again, brings the target level.
            client.awaitAcknowledged(client.acknowledged(), 200, Duration.ofSeconds(60));
            assertThat(client.longestStallSide()).isEqualTo(LEGACY);
            CompletableFuture<StreamRunResult> again = drill.run(forward);
            client.stop();
            writer.join();
            assertThat(client.failure()).isNull();
            assertThat(drill.missingOn(client, LEGACY)).isEmpty();
            SourcePosition end = drill.streams.sourcePosition(forward);
            AppliedWait level = drill.streams.awaitApplied(new AwaitApplied(forward, end.position(), 60_000));
            assertThat(level.reached()).as(level.summary()).isTrue();
            assertThat(pair.digest(TARGET)).isEqualTo(pair.digest(LEGACY));
            assertThat(drill.missingOn(client, TARGET)).isEmpty();
            drill.streams.stopStream(forward);
            again.get(30, TimeUnit.SECONDS);
            drill.streams.dropStream(forward);
            System.out.printf("switch drill " + name + ", catch-up abandoned: %s; frozen %d ms; longest stall %d ms; %d writes "
                    + "acknowledged, %d refused and retried%n", wait.summary(), frozenMillis,
                    client.longestStall().toMillis(), client.acknowledged(), client.refusals());
        }
    }

    /**
     * The lag pre-check, by position rather than by seconds: the stream has applied everything up to a position
     * taken now, within 60 s.
     */
    private static void preCheck(SwitchDrill drill, StreamSpec spec) {
        SourcePosition now = drill.streams.sourcePosition(spec);
        AppliedWait wait = drill.streams.awaitApplied(new AwaitApplied(spec, now.position(), 60_000));
        assertThat(wait.reached()).as("stream %s caught up before the switch: %s", spec.streamId(), wait.summary())
                .isTrue();
        StreamLag lag = drill.streams.streamLag(spec);
        System.out.printf("pre-check %s: %s; lag now %s s, %d bytes%n", spec.streamId(), wait.summary(),
                lag.lagSeconds(), lag.bytesBehind());
    }

    /**
     * Moves the application's writes from {@code from} to {@code to}: freeze {@code from}, take its position, wait
     * until {@code stream} has applied it, ask {@code stream} to stop, move {@code to}'s sequences past {@code from}'s,
     * fix the start of {@code next} (the stream the other way) while still frozen, flip the flag, wait until the
     * client writes to {@code to} (a client that read the flag before the flip still tries {@code from} for up to its
     * 1 s cache, and the freeze refuses it until it reads the flag again), thaw. The old stream must have ended before
     * {@code next} runs (else {@code next}'s writes would be captured back: a loop), which the caller's
     * {@code drill.run(next)} follows.
     */
    private static Switch flip(SwitchDrill drill, LiveClient client, StreamSpec stream,
                               CompletableFuture<StreamRunResult> running, StreamSpec next, String from, String to,
                               String id) throws Exception {
        long started = System.nanoTime();
        WritesFrozen frozen = drill.cutover.freezeWrites(new FreezeRequest(id + "/" + from, from, List.of("orders"),
                5000));
        long frozenAt = since(started);
        SourcePosition position = drill.streams.sourcePosition(stream);
        AppliedWait caughtUp = drill.streams.awaitApplied(new AwaitApplied(stream, position.position(),
                CATCH_UP.toMillis()));
        assertThat(caughtUp.reached()).as(caughtUp.summary()).isTrue();
        long caughtUpAt = since(started);
        drill.streams.stopStream(stream);
        SequenceSyncResult sequences = drill.cutover.syncSequences(new SequenceSyncRequest(from, "orders", to,
                "orders", Map.of(), 1000));
        assertThat(sequences.columns()).singleElement().satisfies(m -> assertThat(m.targetAfter())
                .isGreaterThan(m.sourceNext()));
        drill.streams.startStream(next);
        long reverseFixedAt = since(started);
        drill.writesOnTarget(to.equals(TARGET));
        long flippedAt = since(started);
        client.awaitWritingTo(to, Duration.ofSeconds(10));
        long clientMovedAt = since(started);
        drill.cutover.thawWrites(new ThawRequest(id + "/" + from, from));
        long thawedAt = since(started);
        assertThat(frozen.installed()).isNotEmpty();
        running.get(30, TimeUnit.SECONDS);
        return new Switch(id, frozenAt, caughtUpAt, reverseFixedAt, flippedAt, clientMovedAt, thawedAt);
    }

    private static long since(long started) {
        return (System.nanoTime() - started) / 1_000_000L;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
