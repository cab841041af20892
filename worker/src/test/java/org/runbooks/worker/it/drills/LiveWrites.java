package org.runbooks.worker.it.drills;

import org.runbooks.worker.it.Awaits;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live-writes drill's application: in its own thread, until stopped, it commits transactions against the source's
 * {@code orders} (as {@link LiveDatabases} creates it, on PostgreSQL or MariaDB) and a second table,
 * {@code order_events}, that no stream captures: inserts (half with a large note), updates of small columns (which
 * on PostgreSQL leave an out-of-line note unchanged: the TOAST case), updates of the large note, deletes, and transactions that
 * insert, update and delete several orders and write events. It counts the transactions PostgreSQL acknowledged and,
 * from the rows each statement reported, how many orders the source must hold: an account of the writes that owes
 * nothing to the product.
 */
public final class LiveWrites implements AutoCloseable {

    private final LiveDatabases dbs;
    private final Random random;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong orders;
    private final Thread thread;
    private long nextId;
    /** Orders this transaction added (inserts less deletes); counted only once it commits. */
    private long pending;
    private volatile Throwable failure;

    private LiveWrites(LiveDatabases dbs, long existingRows, long seed) {
        this.dbs = dbs;
        this.random = new Random(seed);
        this.orders = new AtomicLong(existingRows);
        this.nextId = existingRows + 1;
        this.thread = new Thread(this::run, "live-writes");
    }

    /** Creates {@code order_events} on the source and starts writing. */
    public static LiveWrites start(LiveDatabases dbs, long existingRows, long seed) throws SQLException {
        try (Connection c = dbs.source(); Statement st = c.createStatement()) {
            st.execute(dbs.eventsTable());
        }
        LiveWrites writes = new LiveWrites(dbs, existingRows, seed);
        writes.thread.start();
        return writes;
    }

    /** Transactions the source acknowledged (committed) so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Orders the source must hold after the acknowledged transactions, by the writer's own count. */
    public long expectedOrders() {
        return orders.get();
    }

    /** Waits until at least {@code n} transactions were acknowledged in all; fails when the writer failed. */
    public void awaitAcknowledged(long n) throws Exception {
        Awaits.until("the application to commit " + n + " transactions", Duration.ofMinutes(2),
                Duration.ofMillis(50), this::acknowledged, c -> {
                    failIfFailed();
                    return c >= n;
                });
    }

    /** Stops writing after the transaction in flight; fails when the writer failed. */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join(TimeUnit.MINUTES.toMillis(1));
        failIfFailed();
    }

    private void failIfFailed() {
        if (failure != null) {
            throw new AssertionError("the application's writes failed", failure);
        }
    }

    private void run() {
        try (Connection c = dbs.source()) {
            c.setAutoCommit(false);
            // At most one transaction every 5 ms: a steady application, not a flood that starves the 2 cores.
            while (!stop.await(5, TimeUnit.MILLISECONDS)) {
                pending = 0;
                transaction(c);
                c.commit();
                orders.addAndGet(pending);
                acknowledged.incrementAndGet();
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void transaction(Connection c) throws SQLException {
        int pick = random.nextInt(10);
        if (pick < 3) {
            event(c, insert(c), "created");
        } else if (pick < 5) {
            update(c, "update orders set amount = amount + 1, status = 'updated' where id = ?", anyId());
        } else if (pick < 6) {
            try (PreparedStatement ps = c.prepareStatement("update orders set note = ? where id = ?")) {
                ps.setString(1, bigNote());
                ps.setLong(2, anyId());
                ps.executeUpdate();
            }
        } else if (pick < 7) {
            long id = anyId();
            pending -= update(c, "delete from orders where id = ?", id);
            event(c, id, "deleted");
        } else {
            long added = insert(c);
            update(c, "update orders set status = 'moved', customer_id = customer_id + 1 where id = ?", anyId());
            update(c, "update orders set status = 'moved' where id = ?", added);
            pending -= update(c, "delete from orders where id = ?", anyId());
            event(c, added, "moved");
            insert(c);
        }
    }

    private long insert(Connection c) throws SQLException {
        long id = nextId++;
        try (PreparedStatement ps = c.prepareStatement("insert into orders values (?, ?, ?, 'paid', now(), ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, random.nextInt(977));
            ps.setBigDecimal(3, BigDecimal.valueOf(random.nextInt(100_000), 2));
            ps.setString(4, random.nextBoolean() ? bigNote() : "new order");
            pending += ps.executeUpdate();
        }
        return id;
    }

    private static void event(Connection c, long orderId, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into order_events (order_id, kind) values (?, ?)")) {
            ps.setLong(1, orderId);
            ps.setString(2, kind);
            ps.executeUpdate();
        }
    }

    /** Runs a statement on one order; returns the rows it changed (0 when that order was deleted before). */
    private static int update(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
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
