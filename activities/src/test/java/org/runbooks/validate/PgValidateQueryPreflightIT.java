package org.runbooks.validate;

import org.junit.jupiter.api.Test;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlQuery;
import org.runbooks.model.ValidateStep;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Pre-flight of a validation's KPI and assertion queries on real PostgreSQL: a query whose WITH deletes or updates
 * plans fine with EXPLAIN, so it is checked the way a backfill's query is, as a subquery, which PostgreSQL refuses for
 * a data-modifying WITH. The parser refuses the plain spellings first; this catches the ones its pattern misses.
 */
class PgValidateQueryPreflightIT {

    @Test
    void aKpiOrAssertionWhoseWithWritesIsRefusedBeforeAnythingRuns() {
        PgDatabases db = new PgDatabases("preflight_writing_with");
        db.execute(LEGACY, "create table orders (id integer primary key, amount integer)",
                "insert into orders values (1, 10)");
        db.execute(TARGET, "create table orders (id integer primary key, amount integer)");
        String deleting = "with d as /* gone */ (delete from orders returning id) select count(*) from d";
        ValidateStep checks = new ValidateStep("checks", null, null, List.of(), 0, false,
                List.of(new KpiCheck("rows", new SqlQuery(LEGACY, deleting),
                        new SqlQuery(TARGET, "select count(*) from orders"), 0, null)),
                List.of(new SqlAssertion("none", TARGET, deleting, 0)));
        Runbook runbook = new Runbook("runbook/v1", "checks", null, "", List.of(new Phase("check",
                List.of(checks))));

        PreflightReport report = new Preflight(db.registry).check(runbook);

        assertThat(report.errors()).extracting(Finding::path).containsExactly(
                "phases[0].steps[0].validate.kpis[0].source.sql", "phases[0].steps[0].validate.assertions[0].sql");
        assertThat(report.errors().get(0).message()).contains("data-modifying");
        assertThat(db.scalar(LEGACY, "select count(*) from orders")).isEqualTo("1");
    }
}
