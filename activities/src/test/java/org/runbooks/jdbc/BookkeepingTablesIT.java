package org.runbooks.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import org.runbooks.backfill.CopyProgressStore;
import org.runbooks.flag.FlagStore;
import org.runbooks.sql.SqlRunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Several runbooks reach one fresh target database at the same moment, each creating the worker's bookkeeping tables
 * (as two runbooks planning copies into one target do): on real PostgreSQL, every one of them must succeed. Before
 * {@link BookkeepingTables}, the slower sessions failed with a unique violation on pg_type and their runbook rolled
 * back (the demo's orders-zero-downtime did, next to orders-to-v2).
 */
class BookkeepingTablesIT {

    private static final int SESSIONS = 6;
    private static final int ROUNDS = 8;

    @Test
    void runbooksCreatingTheBookkeepingTablesAtOnceAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                PgDatabases dbs = new PgDatabases("bookkeeping_race");
                CyclicBarrier together = new CyclicBarrier(SESSIONS);
                List<Future<?>> sessions = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    int session = i;
                    sessions.add(pool.submit(() -> {
                        try (Connection target = dbs.registry.open(TARGET)) {
                            together.await(30, TimeUnit.SECONDS);
                            switch (session % 3) {
                                case 0 -> CopyProgressStore.ensureTables(target);
                                case 1 -> FlagStore.ensureTables(target);
                                default -> SqlRunStore.ensureTable(target);
                            }
                            CopyProgressStore.ensureTables(target);
                            FlagStore.ensureTables(target);
                            SqlRunStore.ensureTable(target);
                        }
                        return null;
                    }));
                }
                for (Future<?> s : sessions) {
                    s.get(60, TimeUnit.SECONDS);
                }
                try (Connection target = dbs.registry.open(TARGET);
                     var rs = target.createStatement().executeQuery("select count(*) from pg_tables"
                             + " where tablename like 'runbook\\_%'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("round " + round).isEqualTo(7);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
