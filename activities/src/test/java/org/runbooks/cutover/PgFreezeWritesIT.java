package org.runbooks.cutover;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The freeze on real PostgreSQL: every write refused with a recognisable SQLSTATE until the thaw, which removes
 * exactly what the freeze installed; the freeze waits for a transaction that wrote before it, so nothing commits on
 * the table after it returns; a freeze that cannot take hold in time names who held the table and leaves nothing.
 */
class PgFreezeWritesIT {

    private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    private final CutoverPair pair = new CutoverPair("freeze_pg");
    private final CutoverActivities cutover;

    PgFreezeWritesIT() {
        environment.registerActivitiesImplementations(new CutoverActivitiesImpl(pair.registry));
        cutover = environment.newActivityStub(CutoverActivities.class);
    }

    @AfterEach
    void tearDown() {
        environment.close();
    }

    private static FreezeRequest freeze(String id, long lockTimeoutMillis) {
        return new FreezeRequest(id, CutoverPair.LEGACY, List.of("orders"), lockTimeoutMillis);
    }

    @Test
    void everyWriteIsRefusedUntilTheThawWhichRemovesExactlyWhatTheFreezeInstalled() throws Exception {
        pair.execute(CutoverPair.LEGACY, "insert into orders (version, note) values (1, 'before')",
                "create function audit() returns trigger language plpgsql as $$ begin return new; end $$",
                "create trigger audit before insert on orders for each row execute function audit()");

        WritesFrozen frozen = cutover.freezeWrites(freeze("run-1/cutover/source", 0));
        String name = PgWriteFreezes.name("run-1/cutover/source");
        assertThat(frozen.installed()).containsExactly("function " + name + "()", "trigger " + name + " on orders");
        assertThat(cutover.freezeWrites(freeze("run-1/cutover/source", 0)).installed())
                .as("freezing again installs nothing").isEmpty();

        try (Connection c = pair.connect(CutoverPair.LEGACY); Statement st = c.createStatement()) {
            for (String write : List.of("insert into orders (version, note) values (1, 'frozen')",
                    "update orders set version = 2", "delete from orders", "truncate orders")) {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> st.execute(write));
                assertThat((Object) refused).as(write).isNotNull();
                assertThat(refused.getSQLState()).as(write).isEqualTo(FreezeRequest.POSTGRES_SQLSTATE);
                assertThat(refused.getMessage()).as(write).contains(FreezeRequest.MESSAGE_PREFIX
                        + " run-1/cutover/source: writes to public.orders are frozen");
            }
        }
        assertThat(pair.scalar(CutoverPair.LEGACY, "select note from orders")).as("reads go on").isEqualTo("before");

        WritesThawed thawed = cutover.thawWrites(new ThawRequest("run-1/cutover/source", CutoverPair.LEGACY));
        assertThat(thawed.removed()).containsExactly("trigger " + name + " on orders", "function " + name + "()");
        assertThat(cutover.thawWrites(new ThawRequest("run-1/cutover/source", CutoverPair.LEGACY)).removed())
                .as("thawing twice removes nothing").isEmpty();
        pair.execute(CutoverPair.LEGACY, "update orders set version = 2");
        assertThat(pair.scalar(CutoverPair.LEGACY, "select string_agg(tgname, ',') from pg_trigger "
                + "where tgrelid = 'orders'::regclass and not tgisinternal")).as("the table's own trigger stays")
                .isEqualTo("audit");
    }

    @Test
    void theFreezeWaitsForATransactionWritingTheTableAndALaterWriteOfAnOlderTransactionIsRefused() throws Exception {
        try (Connection writing = pair.connect(CutoverPair.LEGACY); Connection older = pair.connect(CutoverPair.LEGACY)) {
            writing.setAutoCommit(false);
            older.setAutoCommit(false);
            try (Statement st = older.createStatement()) {
                st.execute("select count(*) from orders"); // its transaction began before the freeze
            }
            try (Statement st = writing.createStatement()) {
                st.execute("insert into orders (version, note) values (1, 'in flight')");
            }
            int writerPid = pid(writing);

            CompletableFuture<WritesFrozen> freezing = CompletableFuture.supplyAsync(
                    () -> cutover.freezeWrites(freeze("run-2/cutover/source", 30_000)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"1".equals(pair.scalar(CutoverPair.LEGACY, "select count(*) from pg_locks where not granted "
                    + "and mode = 'ShareRowExclusiveLock' and relation = 'orders'::regclass"))) {
                assertThat(System.nanoTime()).as("the freeze queues for the table's lock").isLessThan(deadline);
                assertThat(stillRunning(freezing)).as("the freeze waits for the writing transaction").isTrue();
            }
            assertThat(stillRunning(freezing)).isTrue();
            writing.commit();
            WritesFrozen frozen = freezing.get(30, TimeUnit.SECONDS);

            assertThat(frozen.waitedFor()).singleElement().asString().startsWith("pid " + writerPid + " on orders");
            assertThat(pair.scalar(CutoverPair.LEGACY, "select note from orders")).isEqualTo("in flight");
            try (Statement st = older.createStatement()) {
                SQLException refused = catchThrowableOfType(SQLException.class,
                        () -> st.execute("insert into orders (version, note) values (1, 'late')"));
                assertThat((Object) refused).isNotNull();
                assertThat(refused.getSQLState()).isEqualTo(FreezeRequest.POSTGRES_SQLSTATE);
            }
        }
    }

    @Test
    void aFreezeThatCannotTakeHoldInTimeNamesWhoHeldTheTableAndInstallsNothing() throws Exception {
        try (Connection writing = pair.connect(CutoverPair.LEGACY)) {
            writing.setAutoCommit(false);
            try (Statement st = writing.createStatement()) {
                st.execute("insert into orders (version, note) values (1, 'long transaction')");
            }
            int writerPid = pid(writing);

            ActivityFailure failure = catchThrowableOfType(ActivityFailure.class,
                    () -> cutover.freezeWrites(freeze("run-3/cutover/source", 300)));

            assertThat(failure).isNotNull();
            ApplicationFailure cause = (ApplicationFailure) failure.getCause();
            assertThat(cause.getType()).isEqualTo("FreezeBlocked");
            assertThat(cause.isNonRetryable()).isTrue();
            assertThat(cause.getOriginalMessage()).contains("could not freeze orders within 300 ms")
                    .contains("pid " + writerPid + " on orders").contains("nothing was installed");
            assertThat(pair.scalar(CutoverPair.LEGACY, "select count(*) from pg_trigger where tgname like "
                    + "'runbooks_freeze_%'")).isEqualTo("0");
            writing.commit();
        }
        assertThat(pair.count(CutoverPair.LEGACY)).isEqualTo(1);
    }

    @Test
    void badRequestsFailBeforeAnythingIsInstalled() {
        assertThatThrownBy(() -> cutover.freezeWrites(new FreezeRequest("bad id'; drop", CutoverPair.LEGACY,
                List.of("orders", "no such.table.name"), -1)))
                .isInstanceOf(ActivityFailure.class).cause()
                .hasMessageContaining("a freeze id is 1 to 200 letters")
                .hasMessageContaining("not a table name: no such.table.name")
                .hasMessageContaining("lockTimeoutMillis must be 0 or more");
        assertThat(pair.scalar(CutoverPair.LEGACY, "select count(*) from pg_trigger where tgname like "
                + "'runbooks_freeze_%'")).isEqualTo("0");
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits a moment for {@code f}; true while it has not finished. */
    private static boolean stillRunning(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        }
    }
}
