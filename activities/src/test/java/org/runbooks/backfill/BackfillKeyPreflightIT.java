package org.runbooks.backfill;

import org.junit.jupiter.api.Test;
import org.runbooks.jdbc.MariaDbDatabases;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.parse.RunbookParser;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Pre-flight of a backfill's key on real PostgreSQL and MariaDB: the copy walks the source by key, so a row with a NULL key is
 * never copied and rows that share a key overwrite each other; the target is written by key, so it needs a unique
 * index on it. Each is refused before the copy starts.
 */
class BackfillKeyPreflightIT {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: copy
            phases:
              - name: backfill
                steps:
                  - id: copy
                    backfill:
                      from: { connection: legacy, table: accounts }
                      to: { connection: target, table: accounts }
                      key: [id]
            """;

    @Test
    void aNullableSourceKeyWithoutAUniqueIndexAndATargetWithoutOneAreRefused() {
        PgDatabases db = new PgDatabases("preflight_key_loose");
        db.execute(LEGACY, "create table accounts (id integer, balance integer)",
                "insert into accounts values (1, 10), (null, 7)");
        db.execute(TARGET, "create table accounts (id integer, balance integer)");

        PreflightReport report = preflight(db);

        assertThat(report.errors()).extracting(Finding::path, Finding::message).containsExactly(
                tuple("phases[0].steps[0].backfill.key[0]", "key column 'id' of legacy.accounts may be NULL, and a"
                        + " row with a NULL key is never copied; declare it NOT NULL"),
                tuple("phases[0].steps[0].backfill.key", "no unique index or primary key of legacy.accounts lies"
                        + " within the key [id], so rows may share a key and overwrite each other in target.accounts"),
                tuple("phases[0].steps[0].backfill.to", "target.accounts has no unique index or primary key within"
                        + " the key [id], so a retried chunk could write its rows twice; add one"));
    }

    @Test
    void aNotNullUniqueSourceKeyAndAUniqueTargetKeyPass() {
        PgDatabases db = new PgDatabases("preflight_key_tight");
        db.execute(LEGACY, "create table accounts (id integer not null, balance integer)",
                "create unique index accounts_id on accounts (id)", "insert into accounts values (1, 10)");
        db.execute(TARGET, "create table accounts (id integer primary key, balance integer)");

        assertThat(preflight(db).errors()).isEmpty();
    }

    @Test
    void quotedMixedCaseNamesAreMatchedAsTheDatabaseSpellsThem() {
        PgDatabases db = new PgDatabases("preflight_key_quoted");
        db.execute(LEGACY, "create schema \"Sales\"", "create table \"Sales\".\"Order Lines\" (\"OrderId\" integer,"
                + " \"LineNo\" integer, \"ShipDate\" date, primary key (\"OrderId\", \"LineNo\"))");
        db.execute(TARGET, "create table \"Order Lines v2\" (\"OrderId\" integer not null, \"LineNo\" integer not null,"
                + " shipped_on date)", "create unique index lines_key on \"Order Lines v2\" (\"OrderId\", \"LineNo\")");
        String runbook = """
                apiVersion: runbook/v1
                name: copy
                phases:
                  - name: backfill
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: legacy, schema: Sales, table: "Order Lines" }
                          to: { connection: target, table: "Order Lines v2" }
                          key: [OrderId, LineNo]
                          columns: { OrderId: OrderId, LineNo: LineNo, ShipDate: shipped_on }
                      - id: parity
                        validate:
                          between:
                            source: { connection: legacy, schema: Sales, table: "Order Lines" }
                            target: { connection: target, table: "Order Lines v2" }
                          key: [OrderId, LineNo]
                          checksum: {}
                """;

        assertThat(preflight(db.registry, runbook).errors()).isEmpty();
    }

    @Test
    void onMariaDbTheSameKeyChecksReadItsIndexes() {
        MariaDbDatabases db = new MariaDbDatabases("preflight_key");
        db.execute(LEGACY, "create table accounts (id integer, balance integer)",
                "create table tight (id integer not null, balance integer, unique key tight_id (id))");
        db.execute(TARGET, "create table accounts (id integer, balance integer)",
                "create table tight (id integer primary key, balance integer)");

        PreflightReport loose = preflight(db.registry, RUNBOOK);
        PreflightReport tight = preflight(db.registry, RUNBOOK.replace("table: accounts", "table: tight"));

        assertThat(loose.errors()).extracting(Finding::path).containsExactly("phases[0].steps[0].backfill.key[0]",
                "phases[0].steps[0].backfill.key", "phases[0].steps[0].backfill.to");
        assertThat(tight.errors()).isEmpty();
    }

    private static PreflightReport preflight(PgDatabases db) {
        return preflight(db.registry, RUNBOOK);
    }

    private static PreflightReport preflight(ConnectionRegistry registry, String runbook) {
        return new Preflight(registry).check(new RunbookParser(registry.names()).parse(runbook, "copy.yaml"));
    }
}
