package org.runbooks.stream;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes to the source's {@code orders} the way an application would: inserts, updates of a small column (which
 * leave a large text value unchanged, PostgreSQL's unchanged TOAST case), updates of the large text itself, deletes,
 * and transactions touching several rows of {@code orders} and a row of the unstreamed {@code other}. Counts the
 * row changes to {@code orders} of every committed transaction: what the stream must apply, once each.
 */
final class LoadGenerator implements Runnable {

    private final StreamPair pair;
    private final Random random;
    private final SecureRandom bytes = new SecureRandom();
    private final List<Long> live = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private long nextId;
    private volatile Throwable failure;

    /**
     * @param seed what its choices follow, so a failing run can be repeated
     */
    LoadGenerator(StreamPair pair, long seed) {
        this.pair = pair;
        this.random = new Random(seed);
        this.nextId = 1;
    }

    long changes() {
        return changes.get();
    }

    long transactions() {
        return transactions.get();
    }

    void stop() {
        stop.set(true);
    }

    /**
     * Waits, while {@link #run} writes in another thread, until it has made {@code more} changes beyond those made
     * so far, or fails after {@code within}, naming the failure of the writer if it failed.
     */
    void awaitMoreChanges(long more, java.time.Duration within) {
        long target = changes() + more;
        long deadline = System.nanoTime() + within.toNanos();
        while (changes() < target) {
            if (failure != null) {
                throw new AssertionError("the load generator failed", failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the load generator made " + changes() + " changes, not " + target
                        + ", within " + within);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    Throwable failure() {
        return failure;
    }

    /** Writes until {@link #stop}. */
    @Override
    public void run() {
        try (Connection c = pair.connect(StreamPair.LEGACY)) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                transaction(c);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Commits {@code n} transactions, here and now. */
    void write(int n) {
        try (Connection c = pair.connect(StreamPair.LEGACY)) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                transaction(c);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void transaction(Connection c) throws SQLException {
        int pick = random.nextInt(10);
        long n;
        if (pick < 3 || live.size() < 10) {
            n = insert(c);
        } else if (pick < 5) {
            n = updateNote(c, pickLive());
        } else if (pick < 6) {
            n = updateBig(c, pickLive());
        } else if (pick < 7) {
            n = delete(c, live.remove(random.nextInt(live.size())));
        } else {
            n = insert(c) + insert(c) + updateNote(c, pickLive()) + updateBig(c, pickLive())
                    + delete(c, live.remove(random.nextInt(live.size())));
            try (PreparedStatement ps = c.prepareStatement("insert into other values (?, ?)")) {
                ps.setLong(1, nextId);
                ps.setString(2, "beside " + nextId);
                ps.executeUpdate();
            }
        }
        c.commit();
        changes.addAndGet(n);
        transactions.incrementAndGet();
    }

    private long pickLive() {
        return live.get(random.nextInt(live.size()));
    }

    private long insert(Connection c) throws SQLException {
        long id = nextId++;
        try (PreparedStatement ps = c.prepareStatement("insert into orders (id, version, note, big, amount, "
                + "updated_at) values (?, 1, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "note " + id);
            ps.setString(3, random.nextInt(3) == 0 ? big() : "small " + id);
            ps.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
            ps.setObject(5, now());
            ps.executeUpdate();
        }
        live.add(id);
        return 1;
    }

    private long updateNote(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update orders set note = ?, version = version + 1, "
                + "updated_at = ? where id = ?")) {
            ps.setString(1, "note " + id + " v" + random.nextInt(1000));
            ps.setObject(2, now());
            ps.setLong(3, id);
            return ps.executeUpdate();
        }
    }

    private long updateBig(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update orders set big = ?, version = version + 1 where id = ?")) {
            ps.setString(1, big());
            ps.setLong(2, id);
            return ps.executeUpdate();
        }
    }

    private long delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from orders where id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    /** About 8 KB of text that does not compress: PostgreSQL keeps it out of line (TOAST). */
    private String big() {
        byte[] b = new byte[4096];
        bytes.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
