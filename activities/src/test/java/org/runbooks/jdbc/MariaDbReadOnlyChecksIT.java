package org.runbooks.jdbc;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlQuery;
import org.runbooks.model.ValidateStep;
import org.runbooks.validate.ValidationActivities;
import org.runbooks.validate.ValidationActivitiesImpl;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.MariaDbDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;

/**
 * On real MariaDB, where the driver's read-only flag is only a hint: a check's SQL runs in a read-only transaction
 * ({@code START TRANSACTION READ ONLY}), so a stored function that writes, called from a KPI or an assertion, fails
 * the check and writes nothing, even with a login that may write.
 */
class MariaDbReadOnlyChecksIT {

    private TestActivityEnvironment env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aCheckThatCallsAWritingFunctionFailsAndWritesNothing() {
        MariaDbDatabases db = new MariaDbDatabases("ro_checks");
        db.execute(LEGACY, "create table orders (id bigint primary key)", "insert into orders values (1), (2), (3)",
                "create function add_order() returns int deterministic modifies sql data "
                        + "begin insert into orders values (99); return 1; end");
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry));
        ValidationActivities validation = env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);

        ValidationReport report = validation.compare(new ValidateStep("tries", null, null, List.of(), 0, false,
                List.of(new KpiCheck("orders", new SqlQuery(LEGACY, "select count(*) from orders"),
                        new SqlQuery(LEGACY, "select count(*) + add_order() - 1 from orders"), 0, null)),
                List.of(new SqlAssertion("writes", LEGACY, "select add_order() - 1", 0))));

        assertThat(report.checks()).extracting(CheckResult::passed).containsExactly(false, false);
        assertThat(report.detail()).containsIgnoringCase("read only transaction");
        assertThat(db.scalar(LEGACY, "select count(*) from orders")).as("no row was added").isEqualTo("3");
    }
}
