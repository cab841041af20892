package org.runbooks.parse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A check's query (KPI, assertion, throttle, a backfill's from.query) only reads, yet a read-only transaction still
 * lets some functions act: end another session, read a server file, export a large object, reach another database,
 * take an advisory lock. A runbook that calls one is refused when it is parsed, before anything runs, as are MariaDB's
 * INTO OUTFILE and INTO DUMPFILE (an independent review ran two of these as "read-only" assertions under a superuser).
 */
class SideEffectingSqlTest {

    private static String runbook(String sql) {
        return """
                apiVersion: runbook/v1
                name: checks
                phases:
                  - name: check
                    steps:
                      - id: parity
                        validate:
                          between: { source: legacy.orders, target: target.orders_v2 }
                          key: [id]
                          assertions:
                            - name: harmless
                              connection: target
                              sql: "%s"
                              expect: 0
                """.formatted(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "select count(pg_terminate_backend(pid)) from pg_stat_activity",
            "select length(pg_read_file('/etc/passwd'))",
            "SELECT length(PG_READ_BINARY_FILE('postgresql.conf'))",
            "select lo_export(1, '/tmp/x')",
            "select count(*) from dblink('host=x', 'select 1') as t(a int)",
            "select pg_advisory_lock(1)",
            "select count(*) from query_to_xml('select pg_sleep(1)', true, true, '')",
            "select pg_cancel_backend(1)",
            "select set_config('role', 'postgres', false)",
            "select 1 into outfile '/tmp/x'",
            "select 1 into dumpfile '/tmp/x'",
            "select length(load_file('/etc/passwd'))",
            "select get_lock('x', 10)"})
    void aCheckThatCallsASideEffectingFunctionIsRefusedBeforeAnythingRuns(String sql) {
        assertThatThrownBy(() -> new RunbookParser(null).parse(runbook(sql), "checks.yaml"))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("sql")
                .hasMessageContaining("acts beyond reading");
    }

    @ParameterizedTest
    @ValueSource(strings = {"select count(*) from orders where status = 'terminated'",
            "select count(*) from backend_outfile_log", "select count(*) from orders where note = 'into outfile'",
            "select count(*) from orders where pg_sleep(0.1) is not null"})
    void aQueryThatOnlyMentionsSuchWordsInNamesOrTextStillParses(String sql) {
        assertThatCode(() -> new RunbookParser(null).parse(runbook(sql), "checks.yaml")).doesNotThrowAnyException();
    }
}
