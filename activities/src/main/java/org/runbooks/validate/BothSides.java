package org.runbooks.validate;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The two sides of a table comparison, asked the same question at the same time: each database computes its
 * checksum while the other does, so a comparison takes as long as the slower side, not the sum of both. Two tables
 * behind the same connection name share one connection, and are then asked one after the other.
 */
final class BothSides implements AutoCloseable {

    /** One question asked of one side. */
    @FunctionalInterface
    interface Question<T> {
        T ask(RangeReader side) throws SQLException;
    }

    /** The answers, source first. */
    record Answers<T>(T source, T target) {
    }

    final RangeReader source;
    final RangeReader target;
    private final ExecutorService other;

    BothSides(RangeReader source, RangeReader target, boolean sameConnection) {
        this.source = source;
        this.target = target;
        this.other = sameConnection ? null
                : Executors.newSingleThreadExecutor(Thread.ofPlatform().name("validation-target").daemon().factory());
    }

    <T> Answers<T> ask(Question<T> question) throws SQLException {
        if (other == null) {
            return new Answers<>(question.ask(source), question.ask(target));
        }
        Future<T> fromTarget = other.submit(() -> question.ask(target));
        T fromSource;
        try {
            fromSource = question.ask(source);
        } catch (SQLException | RuntimeException e) {
            awaitQuietly(fromTarget);
            throw e;
        }
        return new Answers<>(fromSource, await(fromTarget));
    }

    private static <T> T await(Future<T> answer) throws SQLException {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the target was read", "57014", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits for the other side to finish, so its connection is free again, without hiding the first failure. */
    private static void awaitQuietly(Future<?> answer) {
        try {
            answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the source's failure is the one reported
        }
    }

    @Override
    public void close() {
        if (other != null) {
            other.shutdownNow();
        }
    }
}
