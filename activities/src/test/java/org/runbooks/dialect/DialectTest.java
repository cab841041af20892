package org.runbooks.dialect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DialectTest {

    private final Dialect h2 = new H2Dialect();
    private final Dialect postgres = new PostgresDialect();

    @ParameterizedTest
    @ValueSource(strings = {"orders; drop table x", "id\" or \"1", "a b", "1id", "", "orders--", "ordérs"})
    void unsafeColumnNameIsRefused(String name) {
        assertThatThrownBy(() -> h2.quote(name))
                .isInstanceOf(UnsafeIdentifierException.class)
                .hasMessage("unsafe identifier '" + name + "': only letters, digits and _ (and one . between schema"
                        + " and table)");
        assertThatThrownBy(() -> postgres.quote(name)).isInstanceOf(UnsafeIdentifierException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders; drop table x", "db.public.orders", "public.", ".orders", "public.orders x"})
    void unsafeTableNameIsRefused(String table) {
        assertThatThrownBy(() -> postgres.quoteTable(table)).isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> h2.keysetChunk(Relation.table(table), List.of("id"), List.of("id"), KeysetBounds.NONE, 10))
                .isInstanceOf(UnsafeIdentifierException.class);
    }

    @Test
    void unsafeNamesInsideStatementsAreRefused() {
        assertThatThrownBy(() -> h2.keysetChunk(Relation.table("orders"), List.of("id", "note; drop table x"), List.of("id"),
                KeysetBounds.NONE, 10))
                .isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> postgres.upsert("orders", List.of("id"), List.of("id) do nothing; --")))
                .isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> h2.deleteKeyRange("orders", List.of("id;")))
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
        assertThatThrownBy(() -> Dialect.forUrl("jdbc:mysql://db/orders?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no dialect for jdbc:mysql://db/orders; supported: jdbc:postgresql:, jdbc:h2:");
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
    void unsafeColumnsAroundAQueryAreStillRefused() {
        assertThatThrownBy(() -> h2.keySpan(Relation.query("select 1 as id"), "id) from x; --"))
                .isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> postgres.keysetChunk(Relation.query("select 1 as id"), List.of("id"),
                List.of("id\" desc"), KeysetBounds.NONE, 1)).isInstanceOf(UnsafeIdentifierException.class);
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
}
