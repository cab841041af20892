package org.runbooks.cutover;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.jdbc.MariaDbDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The freeze on real MariaDB: insert, update and delete refused with SQLSTATE 45000 until the thaw, which removes
 * exactly the freeze's triggers; the freeze waits for an open transaction that wrote the table; one that cannot take
 * hold in time fails and leaves nothing installed.
 */
class MariaDbFreezeWritesIT {

    private static final String LEGACY = MariaDbDatabases.LEGACY;

    private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    private final MariaDbDatabases db = new MariaDbDatabases("freeze_mariadb");
    private final CutoverActivities cutover;

    MariaDbFreezeWritesIT() {
        db.execute(LEGACY, "create table orders (id bigint auto_increment primary key, version int not null, "
                + "note varchar(200))");
        environment.registerActivitiesImplementations(new CutoverActivitiesImpl(db.registry));
        cutover = environment.newActivityStub(CutoverActivities.class);
    }

    @AfterEach
    void tearDown() {
        environment.close();
    }

    private static FreezeRequest freeze(String id, long lockTimeoutMillis) {
        return new FreezeRequest(id, LEGACY, List.of("orders"), lockTimeoutMillis);
    }

    private String freezeTriggers() {
        return db.scalar(LEGACY, "select count(*) from information_schema.triggers where trigger_name like "
                + "'rbfreeze\\_%'");
    }

    @Test
    void everyWriteIsRefusedUntilTheThawWhichRemovesExactlyTheFreezesTriggers() throws Exception {
        db.execute(LEGACY, "insert into orders (version, note) values (1, 'before')",
                "create trigger audit before insert on orders for each row set new.note = new.note");

        WritesFrozen frozen = cutover.freezeWrites(freeze("run-1/cutover/source", 0));
        String base = MariaDbWriteFreezes.prefix("run-1/cutover/source");
        assertThat(frozen.installed()).singleElement().asString().startsWith("triggers " + base)
                .endsWith("_i/_u/_d on orders");
        assertThat(cutover.freezeWrites(freeze("run-1/cutover/source", 0)).installed())
                .as("freezing again installs nothing").isEmpty();

        try (Connection c = db.registry.open(LEGACY); Statement st = c.createStatement()) {
            for (String write : List.of("insert into orders (version, note) values (1, 'frozen')",
                    "update orders set version = 2", "delete from orders")) {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> st.execute(write));
                assertThat((Object) refused).as(write).isNotNull();
                assertThat(refused.getSQLState()).as(write).isEqualTo(FreezeRequest.MARIADB_SQLSTATE);
                assertThat(refused.getMessage()).as(write).contains(FreezeRequest.MESSAGE_PREFIX
                        + ": writes to orders are frozen for a cutover (run-1/cutover/source)");
            }
            c.rollback();
        }
        assertThat(db.scalar(LEGACY, "select note from orders")).as("reads go on").isEqualTo("before");

        WritesThawed thawed = cutover.thawWrites(new ThawRequest("run-1/cutover/source", LEGACY));
        assertThat(thawed.removed()).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("trigger " + base)
                .endsWith(" on freeze_mariadb_legacy.orders"));
        assertThat(cutover.thawWrites(new ThawRequest("run-1/cutover/source", LEGACY)).removed())
                .as("thawing twice removes nothing").isEmpty();
        db.execute(LEGACY, "update orders set version = 2");
        assertThat(db.scalar(LEGACY, "select group_concat(trigger_name) from information_schema.triggers "
                + "where event_object_table = 'orders' and trigger_schema = database()"))
                .as("the table's own trigger stays").isEqualTo("audit");
    }

    @Test
    void theFreezeWaitsForAnOpenTransactionThatWroteTheTable() throws Exception {
        try (Connection writing = db.registry.open(LEGACY)) {
            try (Statement st = writing.createStatement()) {
                st.execute("insert into orders (version, note) values (1, 'in flight')");
            }
            CompletableFuture<WritesFrozen> freezing = CompletableFuture.supplyAsync(
                    () -> cutover.freezeWrites(freeze("run-2/cutover/source", 30_000)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"1".equals(db.scalar(LEGACY, "select count(*) from information_schema.processlist "
                    + "where state like 'Waiting for table metadata lock%'"))) {
                assertThat(System.nanoTime()).as("the freeze queues for the table").isLessThan(deadline);
                assertThat(stillRunning(freezing)).as("the freeze waits for the open transaction").isTrue();
            }
            long writer = connectionId(writing);
            writing.commit();
            WritesFrozen frozen = freezing.get(30, TimeUnit.SECONDS);

            assertThat(frozen.waitedFor()).anySatisfy(w -> assertThat(w).startsWith("thread " + writer + " "));
            assertThat(db.scalar(LEGACY, "select note from orders")).isEqualTo("in flight");
        }
        cutover.thawWrites(new ThawRequest("run-2/cutover/source", LEGACY));
    }

    @Test
    void aFreezeThatCannotTakeHoldInTimeInstallsNothing() throws Exception {
        try (Connection writing = db.registry.open(LEGACY)) {
            try (Statement st = writing.createStatement()) {
                st.execute("insert into orders (version, note) values (1, 'long transaction')");
            }
            long writer = connectionId(writing);

            ActivityFailure failure = catchThrowableOfType(ActivityFailure.class,
                    () -> cutover.freezeWrites(freeze("run-3/cutover/source", 1000)));

            assertThat(failure).isNotNull();
            ApplicationFailure cause = (ApplicationFailure) failure.getCause();
            assertThat(cause.getType()).isEqualTo("FreezeBlocked");
            assertThat(cause.getOriginalMessage()).contains("could not freeze orders within 1000 ms")
                    .contains("thread " + writer + " ").contains("nothing was installed");
            assertThat(freezeTriggers()).isEqualTo("0");
            writing.commit();
        }
        assertThat(db.scalar(LEGACY, "select count(*) from orders")).isEqualTo("1");
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select connection_id()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean stillRunning(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        }
    }
}
