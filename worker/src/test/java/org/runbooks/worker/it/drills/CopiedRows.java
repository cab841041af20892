package org.runbooks.worker.it.drills;

import org.runbooks.worker.it.OrdersDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks a drill makes on a finished copy without going through the product: target == source by an md5 of the
 * ordered rows that PostgreSQL computes, no row lost, none duplicated, and a chunk audit that adds up to the row count
 * (a chunk written twice would add more).
 */
final class CopiedRows {

    private CopiedRows() {
    }

    /** Asserts all four and returns them as figures for the drill's row. */
    static String assertExact(OrdersDatabases dbs, long rows) throws Exception {
        long distinct = Long.parseLong(dbs.scalar(dbs.targetUrl, "select count(distinct id) from orders_v2"));
        long lost = Long.parseLong(dbs.scalar(dbs.legacyUrl, "select count(*) from orders")) - distinct;
        long duplicated = dbs.targetRows() - distinct;
        String audited = dbs.scalar(dbs.targetUrl, "select sum(row_count) from runbook_copy_chunks");
        assertThat(dbs.targetChecksum()).as("target md5 == source md5").isEqualTo(dbs.legacyChecksum());
        assertThat(dbs.targetRows()).isEqualTo(rows);
        assertThat(lost).as("rows lost").isZero();
        assertThat(duplicated).as("rows duplicated").isZero();
        assertThat(audited).as("rows the chunk audit says were written: none twice").isEqualTo(String.valueOf(rows));
        return "target md5 == source md5, " + DrillReport.count(dbs.targetRows()) + " rows, " + lost + " lost, "
                + duplicated + " duplicated, chunk audit " + DrillReport.count(Long.parseLong(audited)) + " rows";
    }
}
