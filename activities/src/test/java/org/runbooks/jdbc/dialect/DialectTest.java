package org.runbooks.jdbc.dialect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DialectTest {

    private final Dialect h2 = new H2Dialect();
    private final Dialect postgres = new PostgresDialect();
    private final Dialect mariaDb = new MariaDbDialect();

    @ParameterizedTest
    @ValueSource(strings = {"", "a\0b", "line\nbreak", "tab\there",
            "a_name_of_sixty_four_characters_which_is_one_more_than_postgres_"})
    void aNameNoDatabaseCouldHoldIsRefused(String name) {
        assertThatThrownBy(() -> h2.quote(name))
                .isInstanceOf(UnsafeIdentifierException.class)
                .hasMessage("unsafe identifier '" + name + "': a name is 1 to 63 bytes with no control characters,"
                        + " and a table is name or schema.name, a part other than letters, digits and _ in double"
                        + " quotes");
        assertThatThrownBy(() -> postgres.quote(name)).isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> mariaDb.quote(name)).isInstanceOf(UnsafeIdentifierException.class);
    }

    @Test
    void everyNameIsQuotedAsSpelledWithItsQuoteCharacterDoubled() {
        assertThat(postgres.quote("ShipDate")).isEqualTo("\"ShipDate\"");
        assertThat(postgres.quote("id\" or \"1")).isEqualTo("\"id\"\" or \"\"1\"");
        assertThat(h2.quote("orders\"; drop table x; --")).isEqualTo("\"orders\"\"; drop table x; --\"");
        assertThat(mariaDb.quote("id`; drop table x")).isEqualTo("`id``; drop table x`");
        assertThat(mariaDb.quote("a \"b\"")).isEqualTo("`a \"b\"`");
        assertThat(postgres.quote("ordérs")).isEqualTo("\"ordérs\"");
    }

    @Test
    void aTablesQualifiedTextIsQuotedPartByPart() {
        assertThat(postgres.quoteTable("Sales.\"Order Lines\"")).isEqualTo("\"Sales\".\"Order Lines\"");
        assertThat(postgres.quoteTable("\"Sales 2026\".\"Order.Lines \"\"v2\"\"\""))
                .isEqualTo("\"Sales 2026\".\"Order.Lines \"\"v2\"\"\"");
        assertThat(mariaDb.quoteTable("shop.\"Order`Lines\"")).isEqualTo("`shop`.`Order``Lines`");
        assertThat(h2.noRows(Relation.table("\"x\"\"; drop table y; --\"")))
                .isEqualTo("select * from \"x\"\"; drop table y; --\" where 1 = 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders; drop table x", "db.public.orders", "public.", ".orders", "public.orders x",
            "\"unclosed", "\"a\"b", "\"\"", "\"a\".\"b\".c", "\"a\0\""})
    void unsafeTableNameIsRefused(String table) {
        assertThatThrownBy(() -> postgres.quoteTable(table)).isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> h2.keysetChunk(Relation.table(table), List.of("id"), List.of("id"), KeysetBounds.NONE, 10))
                .isInstanceOf(UnsafeIdentifierException.class);
    }

    @Test
    void namesInsideStatementsStayInsideTheirQuotes() {
        assertThat(h2.keysetChunk(Relation.table("orders"), List.of("id", "note\"; drop table x"), List.of("id"),
                KeysetBounds.NONE, 10))
                .isEqualTo("select \"id\", \"note\"\"; drop table x\" from \"orders\" order by \"id\" limit 10");
        assertThat(postgres.upsert("orders", List.of("id\") do nothing; --"), List.of("id\") do nothing; --")))
                .isEqualTo("insert into \"orders\" (\"id\"\") do nothing; --\") values (?) on conflict"
                        + " (\"id\"\") do nothing; --\") do nothing");
        assertThatThrownBy(() -> h2.deleteKeyRange("orders", List.of("id\n;")))
                .isInstanceOf(UnsafeIdentifierException.class);
    }

    @Test
    void keysetChunkQuotesEveryNameAndComparesTheWholeKey() {
        assertThat(h2.keysetChunk(Relation.table("app.orders"), List.of("tenant_id", "id", "note"),
                List.of("tenant_id", "id"), new KeysetBounds(true, false, false), 500))
                .isEqualTo("select \"tenant_id\", \"id\", \"note\" from \"app\".\"orders\""
                        + " where (\"tenant_id\", \"id\") > (?, ?) order by \"tenant_id\", \"id\" limit 500");
        assertThat(h2.keysetChunk(Relation.table("orders"), List.of("id"), List.of("id"), KeysetBounds.NONE, 10))
                .isEqualTo("select \"id\" from \"orders\" order by \"id\" limit 10");
    }

    @Test
    void upsertsReplaceTheRowWithTheSameKey() {
        assertThat(postgres.upsert("orders_v2", List.of("id", "note"), List.of("id")))
                .isEqualTo("insert into \"orders_v2\" (\"id\", \"note\") values (?, ?) on conflict (\"id\")"
                        + " do update set \"note\" = excluded.\"note\"");
        assertThat(postgres.upsert("links", List.of("a", "b"), List.of("a", "b")))
                .isEqualTo("insert into \"links\" (\"a\", \"b\") values (?, ?) on conflict (\"a\", \"b\") do nothing");
        assertThat(h2.upsert("orders_v2", List.of("id", "note"), List.of("id")))
                .isEqualTo("merge into \"orders_v2\" (\"id\", \"note\") key (\"id\") values (?, ?)");
    }

    @Test
    void dialectIsChosenByTheUrl() {
        assertThat(Dialect.forUrl("jdbc:postgresql://db:5432/orders")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialect.forUrl("jdbc:h2:mem:x;MODE=PostgreSQL")).isInstanceOf(H2Dialect.class);
        assertThat(Dialect.forUrl("jdbc:mariadb://db:3306/orders")).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialect.forUrl("jdbc:mysql://db:3306/orders?permitMysqlScheme")).isInstanceOf(MariaDbDialect.class);
        assertThatThrownBy(() -> Dialect.forUrl("jdbc:sqlserver://db/orders?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no dialect for jdbc:sqlserver://db/orders; supported: jdbc:postgresql:, jdbc:h2:,"
                        + " jdbc:mariadb:, jdbc:mysql:");
    }

    @Test
    void keysetChunkOfOneKeyRangeBoundsTheLeadingKeyColumn() {
        assertThat(postgres.keysetChunk(Relation.table("orders"), List.of("tenant_id", "id"), List.of("tenant_id", "id"),
                new KeysetBounds(true, true, true), 100))
                .isEqualTo("select \"tenant_id\", \"id\" from \"orders\" where (\"tenant_id\", \"id\") > (?, ?)"
                        + " and \"tenant_id\" >= ? and \"tenant_id\" < ? order by \"tenant_id\", \"id\" limit 100");
        assertThat(postgres.keysetChunk(Relation.table("orders"), List.of("id"), List.of("id"),
                new KeysetBounds(false, false, true), 100))
                .isEqualTo("select \"id\" from \"orders\" where \"id\" < ? order by \"id\" limit 100");
    }

    @Test
    void queryIsReadAsADerivedTableOnLinesOfItsOwn() {
        Relation query = Relation.query("  select o.id as order_id from orders o -- paid only\n where paid ;; \n");

        assertThat(postgres.keysetChunk(query, List.of("order_id"), List.of("order_id"),
                new KeysetBounds(true, true, false), 50))
                .isEqualTo("select \"order_id\" from (\nselect o.id as order_id from orders o -- paid only\n where paid"
                        + "\n) src where (\"order_id\") > (?) and \"order_id\" >= ? order by \"order_id\" limit 50");
        assertThat(h2.keySpan(query, "order_id")).startsWith("select min(\"order_id\"), max(\"order_id\") from (\n");
        assertThat(h2.noRows(Relation.table("public.orders"))).isEqualTo("select * from \"public\".\"orders\" where 1 = 0");
    }

    @Test
    void columnsAroundAQueryAreQuotedToo() {
        assertThat(h2.keySpan(Relation.query("select 1 as id"), "id) from x; --"))
                .startsWith("select min(\"id) from x; --\"), max(\"id) from x; --\") from (\n");
        assertThat(postgres.keysetChunk(Relation.query("select 1 as id"), List.of("id"), List.of("id\" desc"),
                KeysetBounds.NONE, 1)).endsWith(" src order by \"id\"\" desc\" limit 1");
    }

    @Test
    void keysetChunkForCopyWritesItsBoundsAsLiteralsThatNoQuoteOrBackslashEscapes() {
        assertThat(postgres.keysetChunk(Relation.table("orders"), List.of("tenant", "id", "note"), List.of("tenant", "id"),
                List.of("o'brien\\", "42"), 100L, 200L, 10))
                .isEqualTo("select \"tenant\", \"id\", \"note\" from \"orders\" where (\"tenant\", \"id\")"
                        + " > (E'o''brien\\\\', E'42') and \"tenant\" >= 100 and \"tenant\" < 200"
                        + " order by \"tenant\", \"id\" limit 10");
        assertThat(h2.keysetChunk(Relation.table("orders"), List.of("id"), List.of("id"), null, null, null, 5))
                .isEqualTo("select \"id\" from \"orders\" order by \"id\" limit 5");
        assertThat(h2.literal("it's \\n")).isEqualTo("'it''s \\n'");
        assertThatThrownBy(() -> postgres.keysetChunk(Relation.table("orders"), List.of("id"), List.of("id"),
                List.of("1", "2"), null, null, 5)).hasMessage("last key [1, 2] has 2 values for key [id]");
    }

    @Test
    void upsertFromAStagingTableMatchesLikeTheRowByRowUpsert() {
        assertThat(new PostgresDialect().upsertFrom("pg_temp.stage", "orders_v2", List.of("id", "note"), List.of("id")))
                .isEqualTo("insert into \"orders_v2\" (\"id\", \"note\") select \"id\", \"note\" from"
                        + " \"pg_temp\".\"stage\" on conflict (\"id\") do update set \"note\" = excluded.\"note\"");
    }

    @Test
    void mariaDbQuotesWithBackticksAndReplacesDuplicateKeys() {
        assertThat(mariaDb.quoteTable("shop.orders")).isEqualTo("`shop`.`orders`");
        assertThat(mariaDb.upsert("orders_v2", List.of("id", "note", "amount"), List.of("id")))
                .isEqualTo("insert into `orders_v2` (`id`, `note`, `amount`) values (?, ?, ?) on duplicate key update"
                        + " `note` = values(`note`), `amount` = values(`amount`)");
        assertThat(mariaDb.upsert("links", List.of("a", "b"), List.of("a", "b")))
                .isEqualTo("insert into `links` (`a`, `b`) values (?, ?) on duplicate key update `a` = `a`");
    }

    @Test
    void mariaDbSpellsACompositeKeyComparisonOutColumnByColumnSoItsIndexIsUsed() {
        assertThat(mariaDb.keysetChunk(Relation.table("orders"), List.of("tenant", "id", "note"), List.of("tenant", "id"),
                new KeysetBounds(true, true, true), 100))
                .isEqualTo("select `tenant`, `id`, `note` from `orders` where (`tenant` > ? or (`tenant` = ? and `id` > ?))"
                        + " and `tenant` >= ? and `tenant` < ? order by `tenant`, `id` limit 100");
        assertThat(mariaDb.keyArguments(List.of("acme", "42"))).containsExactly("acme", "acme", "42");
        assertThat(mariaDb.keyInterval(List.of("a", "b", "c"), true, true))
                .isEqualTo("(`a` > ? or (`a` = ? and `b` > ?) or (`a` = ? and `b` = ? and `c` > ?))"
                        + " and (`a` < ? or (`a` = ? and `b` < ?) or (`a` = ? and `b` = ? and `c` <= ?))");
        assertThat(mariaDb.keyArguments(List.of("1", "2", "3"))).containsExactly("1", "1", "2", "1", "2", "3");
        assertThat(mariaDb.deleteKeyRange("orders", List.of("tenant", "id")))
                .isEqualTo("delete from `orders` where (`tenant` > ? or (`tenant` = ? and `id` >= ?))"
                        + " and (`tenant` < ? or (`tenant` = ? and `id` <= ?))");
    }

    @Test
    void mariaDbComparesAOneColumnKeyPlainly() {
        assertThat(mariaDb.keysetChunk(Relation.table("orders"), List.of("id"), List.of("id"),
                new KeysetBounds(true, false, false), 10))
                .isEqualTo("select `id` from `orders` where `id` > ? order by `id` limit 10");
        assertThat(mariaDb.keyInterval(List.of("id"), true, true)).isEqualTo("`id` > ? and `id` <= ?");
        assertThat(mariaDb.keyArguments(List.of("7"))).containsExactly("7");
        assertThat(postgres.keyArguments(List.of("1", "2"))).containsExactly("1", "2");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyDialectBindsOneArgumentPerPlaceholder(int keyColumns) {
        List<String> key = List.of("k1", "k2", "k3", "k4").subList(0, keyColumns);
        List<String> values = List.of("v1", "v2", "v3", "v4").subList(0, keyColumns);
        for (Dialect dialect : List.of(h2, postgres, mariaDb)) {
            int perBound = dialect.keyArguments(values).size();
            assertThat(placeholders(dialect.keyInterval(key, true, true))).as(dialect.getClass().getSimpleName())
                    .isEqualTo(2 * perBound);
            assertThat(placeholders(dialect.deleteKeyRange("t", key))).isEqualTo(2 * perBound);
            assertThat(placeholders(dialect.keysetChunk(Relation.table("t"), key, key,
                    new KeysetBounds(true, true, false), 5))).isEqualTo(perBound + 1);
        }
    }

    @Test
    void mariaDbLiteralsMeanTheSameWhateverTheServersBackslashMode() {
        assertThat(mariaDb.literal("o'brien")).isEqualTo("'o''brien'");
        assertThat(mariaDb.literal("a\\b'")).isEqualTo("_utf8mb4 X'615c6227'");
        assertThat(mariaDb.keysetChunk(Relation.table("orders"), List.of("tenant", "id"), List.of("tenant", "id"),
                List.of("acme", "42"), null, null, 3))
                .isEqualTo("select `tenant`, `id` from `orders` where (`tenant` > 'acme' or (`tenant` = 'acme'"
                        + " and `id` > '42')) order by `tenant`, `id` limit 3");
    }

    @Test
    void mariaDbRowHashTagsNullsAndLengthsAndKeepsSixtyBits() {
        assertThat(mariaDb.rowHash(List.of("id", "note")))
                .isEqualTo("cast(conv(left(md5(concat("
                        + "coalesce(concat(length(cast(`id` as char)), ':', cast(`id` as char)), '~'), '|', "
                        + "coalesce(concat(length(cast(`note` as char)), ':', cast(`note` as char)), '~'))), 15), 16, 10)"
                        + " as unsigned)");
    }

    @Test
    void eachDialectNamesItsEngineAndOnlyPostgresClaimsCopyExtendedHashesAndRowEstimates() {
        assertThat(Dialect.forUrl("jdbc:postgresql://h/db").engine()).isEqualTo(Dialect.Engine.POSTGRESQL);
        assertThat(Dialect.forUrl("jdbc:mariadb://h/db").engine()).isEqualTo(Dialect.Engine.MARIADB);
        assertThat(Dialect.forUrl("jdbc:mysql://h/db").engine()).isEqualTo(Dialect.Engine.MARIADB);
        assertThat(Dialect.forUrl("jdbc:h2:mem:x").engine()).isEqualTo(Dialect.Engine.H2);
        assertThat(List.of(postgres.supportsCopy(), mariaDb.supportsCopy(), h2.supportsCopy()))
                .containsExactly(true, false, false);
        assertThat(List.of(postgres.hasExtendedHashes(), mariaDb.hasExtendedHashes(), h2.hasExtendedHashes()))
                .containsExactly(true, false, false);
        assertThat(postgres.rowEstimate(new Relation.Table("sales.Orders"))).contains("select coalesce((select "
                + "reltuples::bigint from pg_class where oid = to_regclass(E'\"sales\".\"Orders\"')), -1)");
        assertThat(mariaDb.rowEstimate(new Relation.Table("orders"))).isEmpty();
        assertThat(h2.rowEstimate(new Relation.Table("orders"))).isEmpty();
    }

    private static int placeholders(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }
}
