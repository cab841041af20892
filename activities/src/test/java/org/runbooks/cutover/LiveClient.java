package org.runbooks.cutover;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * A small program that behaves like an application during a cutover, not a load generator: before each write it
 * reads the write flag (cached for at most {@code flagCacheTtl}, as a real application would), writes to the side the
 * flag names (inserts with a key the database generates, updates and deletes of its own rows), retries a write the
 * freeze refused after reading the flag afresh, and records every write it saw acknowledged. At the end it checks
 * that side holds every acknowledged write ({@link #missingOn}) and reports the longest stall: the time from a
 * write's first attempt to its acknowledgement, refusals and retries included.
 *
 * <p>The flag is {@code runbook_flags.percent} of {@code flagName} on {@code flagConnection} (the flag step's
 * table): 100 means the target takes the writes, anything else (or no row) the source. Each side names its own
 * table ({@code orders} on the source, {@code orders_v2} on the target, say), with a key its own sequence generates.
 *
 * <p>The switch-by-hand ITs here and the worker's runbook-driven cutover ITs and drills (through this module's
 * test-jar) share it.
 */
public final class LiveClient implements Runnable {

    public static final String SOURCE = "legacy";
    public static final String TARGET = "target";

    /** One acknowledged row as the client last wrote it. */
    record Row(int version, String note, BigDecimal amount) {
    }

    private final Function<String, Connection> connect;
    private final Map<String, String> tables;
    private final String flagConnection;
    private final String flagName;
    private final long flagCacheNanos;
    private final long nanosPerWrite;
    private final Random random;

    private final Object monitor = new Object();
    private final Map<Long, Row> rows = new HashMap<>();
    private final Set<Long> deleted = new HashSet<>();
    private final List<Long> ids = new ArrayList<>();
    /** Where each row was inserted and when (ms since the client started), for saying what went missing. */
    private final Map<Long, String> inserted = new HashMap<>();
    /** The acknowledgement number of each row's last write: a check skips rows written after it began. */
    private final Map<Long, Long> lastWrite = new HashMap<>();
    private final long startedNanos = System.nanoTime();
    private long acknowledged;
    private long refusals;
    private long longestStallNanos;
    private String lastSide;
    private String longestStallSide;
    private volatile boolean stop;
    private volatile Throwable failure;

    private final Map<String, Connection> open = new HashMap<>();
    private String cachedSide;
    private long cachedAt;

    /**
     * @param writesPerSecond the steady rate the client starts writes at (a write that stalls delays the ones after
     *                        it, then they catch up); 0: as fast as it can
     */
    public LiveClient(Function<String, Connection> connect, Map<String, String> tables, String flagConnection,
               String flagName, Duration flagCacheTtl, int writesPerSecond, long seed) {
        this.connect = connect;
        this.tables = Map.copyOf(tables);
        this.flagConnection = flagConnection;
        this.flagName = flagName;
        this.flagCacheNanos = flagCacheTtl.toNanos();
        this.nanosPerWrite = writesPerSecond <= 0 ? 0 : 1_000_000_000L / writesPerSecond;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        try {
            long next = System.nanoTime();
            while (!stop) {
                awaitUntil(next);
                writeOnce();
                next += nanosPerWrite;
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            for (Connection c : open.values()) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing at the end
                }
            }
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /** One write, retried until acknowledged (or the client is stopped). */
    private void writeOnce() throws SQLException, InterruptedException {
        int live = ids.size();
        int choice = random.nextInt(10);
        String op = live < 20 || choice < 5 ? "insert" : choice < 8 ? "update" : "delete";
        long id = op.equals("insert") ? 0 : ids.get(random.nextInt(live));
        long started = System.nanoTime();
        while (!stop) {
            String side = side();
            try {
                Connection c = connection(side);
                switch (op) {
                    case "insert" -> insert(c, side);
                    case "update" -> update(c, side, id);
                    default -> delete(c, side, id);
                }
                long stall = System.nanoTime() - started;
                synchronized (monitor) {
                    acknowledged++;
                    lastSide = side;
                    if (stall > longestStallNanos) {
                        longestStallNanos = stall;
                        longestStallSide = side;
                    }
                    monitor.notifyAll();
                }
                return;
            } catch (SQLException e) {
                if (!refusedByFreeze(e)) {
                    throw e;
                }
                synchronized (monitor) {
                    refusals++;
                    cachedSide = null; // a refusal means the flag may have moved: read it afresh
                    monitor.wait(5); // back off briefly; wakes at once when stopped
                }
            }
        }
    }

    /** Waits until {@code nanoTime} (the next write's turn at the steady rate), or until stopped. */
    private void awaitUntil(long nanoTime) throws InterruptedException {
        synchronized (monitor) {
            long left;
            while (!stop && (left = nanoTime - System.nanoTime()) > 0) {
                monitor.wait(left / 1_000_000L, (int) (left % 1_000_000L));
            }
        }
    }

    static boolean refusedByFreeze(SQLException e) {
        return FreezeRequest.POSTGRES_SQLSTATE.equals(e.getSQLState())
                || e.getMessage() != null && e.getMessage().contains(FreezeRequest.MESSAGE_PREFIX);
    }

    private void insert(Connection c, String side) throws SQLException {
        String note = "n" + random.nextInt(1_000_000);
        BigDecimal amount = BigDecimal.valueOf(random.nextInt(100_000), 2);
        try (PreparedStatement ps = c.prepareStatement("insert into " + tables.get(side)
                + " (version, note, amount) values (1, ?, ?) returning id")) {
            ps.setString(1, note);
            ps.setBigDecimal(2, amount);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                synchronized (monitor) {
                    if (rows.containsKey(id) || deleted.contains(id)) {
                        throw new IllegalStateException("insert on " + side + " got key " + id
                                + ", which an earlier acknowledged write already had: the key generators collide");
                    }
                    rows.put(id, new Row(1, note, amount));
                    ids.add(id);
                    lastWrite.put(id, acknowledged + 1);
                    inserted.put(id, side + " at " + (System.nanoTime() - startedNanos) / 1_000_000L + " ms");
                }
            }
        }
    }

    /** Moves the row on by one version, from the version last acknowledged (which the update checks). */
    private void update(Connection c, String side, long id) throws SQLException {
        Row before;
        synchronized (monitor) {
            before = rows.get(id);
        }
        String note = "u" + random.nextInt(1_000_000);
        try (PreparedStatement ps = c.prepareStatement("update " + tables.get(side)
                + " set version = version + 1, note = ? where id = ? and version = ?")) {
            ps.setString(1, note);
            ps.setLong(2, id);
            ps.setInt(3, before.version());
            if (ps.executeUpdate() != 1) {
                try (PreparedStatement read = c.prepareStatement("select version from " + tables.get(side)
                        + " where id = ?")) {
                    read.setLong(1, id);
                    try (ResultSet rs = read.executeQuery()) {
                        throw new IllegalStateException(rs.next()
                                ? "row " + id + " on " + side + " is at version " + rs.getInt(1)
                                + ", the client last acknowledged " + before.version()
                                : "row " + id + " (acknowledged) is missing on " + side);
                    }
                }
            }
            synchronized (monitor) {
                rows.put(id, new Row(before.version() + 1, note, before.amount()));
                lastWrite.put(id, acknowledged + 1);
            }
        }
    }

    private void delete(Connection c, String side, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from " + tables.get(side) + " where id = ?")) {
            ps.setLong(1, id);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("row " + id + " (acknowledged) is missing on " + side);
            }
            synchronized (monitor) {
                rows.remove(id);
                deleted.add(id);
                ids.remove(id);
                lastWrite.put(id, acknowledged + 1);
            }
        }
    }

    /** The side the flag names, read at most {@code flagCacheTtl} ago. */
    private String side() throws SQLException {
        long now = System.nanoTime();
        if (cachedSide != null && now - cachedAt < flagCacheNanos) {
            return cachedSide;
        }
        try (PreparedStatement ps = connection(flagConnection).prepareStatement(
                "select percent from runbook_flags where name = ?")) {
            ps.setString(1, flagName);
            try (ResultSet rs = ps.executeQuery()) {
                cachedSide = rs.next() && rs.getInt(1) == 100 ? TARGET : SOURCE;
            }
        }
        cachedAt = now;
        return cachedSide;
    }

    private Connection connection(String side) {
        return open.computeIfAbsent(side, connect);
    }

    public void stop() {
        stop = true;
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    public Throwable failure() {
        return failure;
    }

    public long acknowledged() {
        synchronized (monitor) {
            return acknowledged;
        }
    }

    public long refusals() {
        synchronized (monitor) {
            return refusals;
        }
    }

    /** The longest time one write took from its first attempt to its acknowledgement. */
    public Duration longestStall() {
        synchronized (monitor) {
            return Duration.ofNanos(longestStallNanos);
        }
    }

    /**
     * The longest stall since the last call (or since the client started), and starts measuring afresh: the stall of
     * one moment of the run, such as one switch.
     */
    public Duration takeLongestStall() {
        synchronized (monitor) {
            Duration stall = Duration.ofNanos(longestStallNanos);
            longestStallNanos = 0;
            return stall;
        }
    }

    /** The keys written (inserted, updated or deleted) by the writes acknowledged after the first {@code acks}. */
    public Set<Long> idsWrittenAfter(long acks) {
        synchronized (monitor) {
            Set<Long> ids = new HashSet<>();
            lastWrite.forEach((id, ack) -> {
                if (ack > acks) {
                    ids.add(id);
                }
            });
            return ids;
        }
    }

    /** The side the last acknowledged write went to. */
    public String lastSide() {
        synchronized (monitor) {
            return lastSide;
        }
    }

    public String longestStallSide() {
        synchronized (monitor) {
            return longestStallSide;
        }
    }

    /** Waits until {@code more} writes beyond {@code from} are acknowledged; fails after {@code timeout}. */
    public void awaitAcknowledged(long from, long more, Duration timeout) throws InterruptedException {
        awaitThat("acknowledged writes " + from + " + " + more, timeout, () -> acknowledged >= from + more);
    }

    /** Waits until a write was acknowledged on {@code side}: the client has read the flag that names it. */
    public void awaitWritingTo(String side, Duration timeout) throws InterruptedException {
        awaitThat("a write acknowledged on " + side, timeout, () -> side.equals(lastSide));
    }

    private void awaitThat(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                if (failure != null) {
                    throw new AssertionError("the live client failed while waiting for " + what, failure);
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new AssertionError("waited " + timeout + " for " + what);
                }
                monitor.wait(left);
            }
        }
    }

    /**
     * The acknowledged writes {@code side}'s table (read through {@code c}) does not hold as acknowledged: a row
     * missing or at another version, a deleted row present. Empty when every acknowledged write is there. While the client runs, only the
     * writes acknowledged before the check began count, and rows written since are left out: the table is read after
     * that moment, so it holds all of those, and a later write may have changed a row since.
     */
    public List<String> missingOn(String side, Connection c) throws SQLException {
        Map<Long, Row> expected;
        Set<Long> gone;
        long asOf;
        synchronized (monitor) {
            expected = new HashMap<>(rows);
            gone = new HashSet<>(deleted);
            asOf = acknowledged;
        }
        Map<Long, Row> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, version, note, amount from "
                + tables.get(side));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.put(rs.getLong(1), new Row(rs.getInt(2), rs.getString(3), rs.getBigDecimal(4)));
            }
        }
        List<String> problems = new ArrayList<>();
        synchronized (monitor) {
            expected.forEach((id, row) -> {
                if (lastWrite.get(id) > asOf) {
                    return;
                }
                Row there = found.get(id);
                if (there == null) {
                    problems.add("row " + id + " missing (inserted on " + inserted.get(id) + ", acknowledged "
                            + row + ")");
                } else if (there.version() != row.version() || !row.note().equals(there.note())
                        || row.amount().compareTo(there.amount()) != 0) {
                    problems.add("row " + id + " is " + there + ", acknowledged " + row);
                }
            });
            gone.stream().filter(found::containsKey).forEach(id -> problems.add("row " + id
                    + " deleted (acknowledged) but present"));
        }
        return problems;
    }

    /** Acknowledged rows now live (inserted, not deleted). */
    public int liveRows() {
        synchronized (monitor) {
            return rows.size();
        }
    }
}
