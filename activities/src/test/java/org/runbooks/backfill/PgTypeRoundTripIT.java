package org.runbooks.backfill;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.backfill.pgcopy.PgCopyChunkWriter;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * Every common PostgreSQL type, with the values that break copies (NULLs, control characters, 38-digit numerics,
 * infinities, microseconds, every byte value, JSON whitespace, arrays with NULLs and quotes, enums), copied from one
 * real PostgreSQL database to another three times: with {@code COPY} straight into an empty table, with {@code COPY}
 * into a table that already holds a few of the keys (their chunks, the edge rows' among them, go through the staging
 * table and overwrite what was there), and with batched upserts. PostgreSQL itself renders each row as text on both
 * sides and hashes it, so "equal" means equal to the last digit and byte.
 */
public class PgTypeRoundTripIT {

    /** Rows per second no test copy reaches. */
    private static final long UNREACHED_RATE = 1_000_000_000L;

    /** Rows generated beyond the edge cases, so that a copy takes several chunks. */
    private static final int BULK_ROWS = 5_000;
    private static final int CHUNK_ROWS = 1_000;

    public static final String BUILT_IN_COLUMNS = "(id bigint primary key, t text, vc varchar(40), ch char(6), i2 smallint,"
            + " i4 integer, i8 bigint, n38 numeric(38, 0), nfree numeric, nscaled numeric(38, 10), r real,"
            + " d double precision, b boolean, ba bytea, dt date, tm time, ttz timetz, ts timestamp, tstz timestamptz,"
            + " iv interval, u uuid, js json, jb jsonb, ia integer[], ta text[], na numeric[], tsa timestamptz[],"
            + " ip inet, ci cidr, mac macaddr, m mood)";
    public static final String MOOD = "create type mood as enum ('sad', 'ok', 'happy ''quoted''')";
    private static final String ALL_BYTES = "(select decode(string_agg(lpad(to_hex(b), 2, '0'), ''), 'hex')"
            + " from generate_series(0, 255) b)";
    private static final String[] EDGE_ROWS = {
        "insert into built_in (id) values (1)",
        "insert into built_in values (2, E'\u00fcn\u00efc\u00f6d\u00e9 \u65e5\u672c\u8a9e \\U0001F680 \\t tab \\n"
                + " newline \\r cr \\\\ backslash \\x01\\x02\\x1f\\x7f \"quote\" ''single'' , {brace}', 'NULL', 'ab',"
                + " -32768, -2147483648, 9223372036854775807, 99999999999999999999999999999999999999,"
                + " -0.000000000000000000000000000000000000001234567890123456789,"
                + " 1234567890123456789012345678.0123456789, 3.4028235e38, 1.7976931348623157e308, true, " + ALL_BYTES
                + ", '9999-12-31', '23:59:59.999999', '23:59:59.999999+05:30', '2024-02-29 23:59:59.999999',"
                + " '1999-12-31 23:59:59.999999+14', '1 year 2 mons 3 days 04:05:06.789012',"
                + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": 1,  \"a\": [1, 2.50, \"\\u00e9\"], \"b\": 2}',"
                + " '{\"z\": {\"deep\": [null, true, 1.0e10]}, \"a\": \"\\u0001 ctrl\"}', '{1,NULL,-3}',"
                + " '{\"a,b\",\"c\\\"d\",NULL,\"\",\"NULL\"}', '{1.10,NaN,-0.000001}',"
                + " '{\"2024-01-01 00:00:00.000001+00\",infinity}', '2001:db8::1/64', '10.0.0.0/8',"
                + " '08:00:2b:01:02:03', 'happy ''quoted''')",
        "insert into built_in values (3, '', '', '', 0, 0, 0, 0, 'NaN', 0, 'NaN', '-0', false, '\\x', 'infinity',"
                + " '00:00:00', '00:00:00-15:59', '-infinity', 'infinity', '-1 days +00:00:00.000001',"
                + " '00000000-0000-0000-0000-000000000000', '\"\"', '[]', '{{1,2},{3,4}}', '{}', '{}', '{}',"
                + " '0.0.0.0', '::/0', '00:00:00:00:00:00', 'sad')",
        "insert into built_in (id, dt, ts, tstz) values (4, '0044-03-15 BC', '0044-03-15 12:00:00 BC',"
                + " '0001-01-01 00:00:00+00')",
    };
    private static final String BULK = "insert into built_in select g, 'row ' || g || ' \u00fc' || chr(1 + g % 30),"
            + " md5(g::text), left(md5(g::text), 3), (g % 32767)::smallint, g * 7, g::bigint * 1000000007,"
            + " (g::numeric * 100000000000000000000000000000)::numeric(38, 0), g / 7.0, g / 3.0, g / 9.0, g / 11.0,"
            + " g % 2 = 0, sha256(g::text::bytea), date '2024-01-01' + g,"
            + " time '00:00:00' + g * interval '1.000001 second', timetz '12:00:00+02' + g * interval '1 minute',"
            + " timestamp '2024-01-01' + g * interval '1.000001 second',"
            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '61.5 seconds', g * interval '1 hour 1 microsecond',"
            + " md5(g::text)::uuid, json_build_object('g', g, 'txt', 'v' || g), jsonb_build_object('g', g, 'n', g / 3.0),"
            + " array[g, null, -g], array['x' || g, null, 'y \"' || g], array[g / 7.0],"
            + " array[timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'],"
            + " ('10.' || (g % 256) || '.0.1')::inet, ('10.' || (g % 256) || '.0.0/16')::cidr,"
            + " ('08:00:2b:00:' || lpad(to_hex(g % 256), 2, '0') || ':01')::macaddr,"
            + " (array['sad', 'ok', 'happy ''quoted''']::mood[])[1 + g % 3]"
            + " from generate_series(5, " + (4 + BULK_ROWS) + ") g";

    private PgDatabases db;
    private final List<TestActivityEnvironment> environments = new ArrayList<>();
    private final ListAppender<ILoggingEvent> copyLog = new ListAppender<>();

    @BeforeEach
    void setUp() {
        copyLog.start();
        ((Logger) LoggerFactory.getLogger(PgCopyChunkWriter.class)).addAppender(copyLog);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(PgCopyChunkWriter.class)).detachAppender(copyLog);
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void everyCommonTypeRoundTripsExactlyThroughCopyAndThroughUpserts() {
        db = new PgDatabases("roundtrip_builtin");
        db.execute(LEGACY, MOOD, "create table built_in " + BUILT_IN_COLUMNS);
        db.execute(LEGACY, EDGE_ROWS);
        db.execute(LEGACY, BULK);
        db.execute(TARGET, MOOD, "create table by_copy " + BUILT_IN_COLUMNS, "create table by_upsert " + BUILT_IN_COLUMNS,
                "create table by_staging " + BUILT_IN_COLUMNS,
                "insert into by_staging (id, t, m) values (2, 'stale', 'sad'), (2500, 'stale', 'ok')");
        // The source holds the hard values themselves (a typo in the fixture would make the comparison easy).
        assertThat(db.rows(LEGACY, "select n38::text, tm::text, tstz = 'infinity', position(E'\\U0001F680' in t) > 0,"
                + " length(ba), dt::text from built_in where id in (2, 4) order by id")).containsExactly(
                List.of("99999999999999999999999999999999999999", "23:59:59.999999", "f", "t", "256", "9999-12-31"),
                java.util.Arrays.asList(null, null, "f", null, null, "0044-03-15 BC"));

        BackfillResult copied = backfill(db.registry).copyTable(request("built_in", "by_copy"));
        assertThat(copyFormats()).containsExactly("binary");
        assertThat(summaries()).last().asString().startsWith("6 chunks straight into the table, 0 through");
        BackfillResult staged = backfill(db.registry).copyTable(request("built_in", "by_staging"));
        assertThat(summaries()).last().asString().isEqualTo("4 chunks straight into the table, 2 through the"
                + " staging table (2 into key intervals the target held rows in, 0 after a duplicate key); 0 of them"
                + " copied with no query for their bounds first");
        BackfillResult upserted = backfill(db.upsertOnly()).copyTable(request("built_in", "by_upsert"));
        assertThat(copyFormats()).as("the upsert-only connections never reach COPY").containsExactly("binary", "binary");

        assertThat(copied.rowsCopied()).isEqualTo(staged.rowsCopied()).isEqualTo(4 + BULK_ROWS);
        assertThat(copied.chunks()).isEqualTo(staged.chunks()).isEqualTo(upserted.chunks()).isEqualTo(6);
        assertThat(copied.lastKey()).isEqualTo(staged.lastKey()).isEqualTo(upserted.lastKey())
                .containsExactly(String.valueOf(4 + BULK_ROWS));
        assertSameRows("built_in", "by_copy");
        assertSameRows("built_in", "by_staging");
        assertSameRows("built_in", "by_upsert");
    }

    @Test
    void userDefinedTypesAndWidenedColumnsTravelAsText() {
        db = new PgDatabases("roundtrip_user");
        String types = "create domain positive as integer check (value > 0); create type pair as (a int, b text)";
        String columns = "id bigint primary key, m mood, ma mood[], pos positive, pr pair, ";
        db.execute(LEGACY, MOOD, types, "create table user_types (" + columns + "widened integer)",
                "insert into user_types values (1, null, null, null, null, null),"
                        + " (2, 'ok', '{sad,NULL,\"happy ''quoted''\"}', 7, row(1, 'x, \"y\"')::pair, -2147483648),"
                        + " (3, 'sad', '{}', 2147483647, row(null, '')::pair, 0)",
                "insert into user_types select g, 'ok', array['ok', 'sad']::mood[], g, row(g, 'p' || g)::pair, g"
                        + " from generate_series(4, 2500) g");
        String wider = "create table %s (" + columns + "widened bigint)";
        db.execute(TARGET, MOOD, types, wider.formatted("by_copy"), wider.formatted("by_staging"),
                wider.formatted("by_upsert"), "insert into by_staging (id, pos) values (2, 1)");

        backfill(db.registry).copyTable(request("user_types", "by_copy"));
        backfill(db.registry).copyTable(request("user_types", "by_staging"));
        backfill(db.upsertOnly()).copyTable(request("user_types", "by_upsert"));

        assertThat(copyFormats()).containsExactly("text", "text");
        assertThat(summaries()).containsExactly("3 chunks straight into the table, 0 through the staging table (0 into"
                + " key intervals the target held rows in, 0 after a duplicate key); 3 of them copied with no query for"
                + " their bounds first", "2 chunks straight into the table, 1 through the staging table (1 into key"
                + " intervals the target held rows in, 0 after a duplicate key); 0 of them copied with no query for"
                + " their bounds first");
        assertSameRows("user_types", "by_copy");
        assertSameRows("user_types", "by_staging");
        assertSameRows("user_types", "by_upsert");
    }

    /** Equal row count, and every row's text (as PostgreSQL renders it on each side) hashes the same. */
    private void assertSameRows(String source, String target) {
        // The alias is no column's name: md5(rec::text) hashes the whole row, not a column called rec.
        String perRow = "select id, md5(rec::text) from %s rec order by id";
        List<List<String>> expected = db.rows(LEGACY, perRow.formatted(source));
        assertThat(expected).hasSizeGreaterThan(2);
        assertThat(db.rows(TARGET, perRow.formatted(target))).as(target).isEqualTo(expected);
        String whole = "select md5(string_agg(rec::text, '|' order by id)) from %s rec";
        assertThat(db.scalar(TARGET, whole.formatted(target))).isEqualTo(db.scalar(LEGACY, whole.formatted(source)));
    }

    private List<String> copyFormats() {
        return copyLog.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("COPY (FORMAT"))
                .map(m -> m.replaceAll(".*COPY \\(FORMAT (\\w+)\\).*", "$1")).toList();
    }

    /** How each copy's chunks travelled, as its writer summed them up when it closed. */
    private List<String> summaries() {
        return copyLog.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(" chunks "))
                .map(m -> m.replaceAll("^.* range all keys: ", "")).toList();
    }

    private BackfillActivities backfill(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    /**
     * Copies in chunks of {@link #CHUNK_ROWS}, so each path meets the same key intervals: a rate limit the copy never
     * reaches keeps every chunk at the configured size (only an unpaced copy's fast chunks grow past it).
     */
    private static BackfillRequest request(String source, String target) {
        BackfillStep step = new BackfillStep("copy-" + target, new TableRef(LEGACY, source), new TableRef(TARGET, target),
                List.of("id"), CHUNK_ROWS, BackfillRollback.DELETE_COPIED);
        return new BackfillRequest("run-1/copy-" + target, "round-trip", step, null, UNREACHED_RATE);
    }
}
