package org.runbooks.worker.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes to {@code orders} (as {@link OrdersDatabases} creates it) the way an application would, in its own thread,
 * until stopped: inserts of new orders, updates of a small column and of a large, out-of-line note, deletes, and
 * transactions touching several rows. Counts committed transactions.
 */
final class OrdersWriter implements AutoCloseable {

    private final TestServices services;
    private final String url;
    private final Random random = new Random(42);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong committed = new AtomicLong();
    private final Thread thread;
    private final int existing;
    private long nextId;
    private volatile Throwable failure;

    OrdersWriter(TestServices services, String url, int existingRows) {
        this.services = services;
        this.url = url;
        this.existing = existingRows;
        this.nextId = existingRows + 1L;
        this.thread = new Thread(this::run, "orders-writer");
        thread.start();
    }

    long committed() {
        return committed.get();
    }

    /** Waits until at least {@code n} transactions committed in all. */
    void awaitCommitted(long n) throws Exception {
        Awaits.until("the writer committed " + n + " transactions", java.time.Duration.ofMinutes(2),
                java.time.Duration.ofMillis(100), this::committed, c -> {
                    if (failure != null) {
                        throw new AssertionError("the writer failed", failure);
                    }
                    return c >= n;
                });
    }

    /** Stops writing and waits for the last transaction; fails when the writer failed. */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join(TimeUnit.MINUTES.toMillis(1));
        if (failure != null) {
            throw new AssertionError("the writer failed", failure);
        }
    }

    private void run() {
        try (Connection c = services.connect(url)) {
            c.setAutoCommit(false);
            // A transaction every 5 ms at most: a steady application load, not a flood that starves the 2 cores.
            while (!stop.await(5, TimeUnit.MILLISECONDS)) {
                transaction(c);
                c.commit();
                committed.incrementAndGet();
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void transaction(Connection c) throws SQLException {
        int pick = random.nextInt(10);
        if (pick < 4) {
            insert(c);
        } else if (pick < 6) {
            execute(c, "update orders set amount = amount + 1, status = 'updated' where id = ?", anyId());
        } else if (pick < 7) {
            try (PreparedStatement ps = c.prepareStatement("update orders set note = ? where id = ?")) {
                ps.setString(1, bigNote());
                ps.setLong(2, anyId());
                ps.executeUpdate();
            }
        } else if (pick < 8) {
            execute(c, "delete from orders where id = ?", anyId());
        } else {
            insert(c);
            execute(c, "update orders set status = 'moved' where id = ?", anyId());
            execute(c, "delete from orders where id = ?", anyId());
            insert(c);
        }
    }

    private void insert(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into orders values (?, ?, ?, 'paid', now(), ?)")) {
            ps.setLong(1, nextId++);
            ps.setLong(2, random.nextInt(977));
            ps.setBigDecimal(3, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
            ps.setString(4, random.nextBoolean() ? bigNote() : "new order");
            ps.executeUpdate();
        }
    }

    private static void execute(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Any id written so far, old or new (it may have been deleted: then the statement changes nothing). */
    private long anyId() {
        return 1 + (long) (random.nextDouble() * (nextId - 1));
    }

    /** About 6 KB of text that does not compress: PostgreSQL keeps it out of line (TOAST). */
    private String bigNote() {
        byte[] b = new byte[3000];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
