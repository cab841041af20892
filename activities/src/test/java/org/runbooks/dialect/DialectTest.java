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
        assertThatThrownBy(() -> h2.keysetChunk(table, List.of("id"), List.of("id"), true, 10))
                .isInstanceOf(UnsafeIdentifierException.class);
    }

    @Test
    void unsafeNamesInsideStatementsAreRefused() {
        assertThatThrownBy(() -> h2.keysetChunk("orders", List.of("id", "note; drop table x"), List.of("id"), false, 10))
                .isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> postgres.upsert("orders", List.of("id"), List.of("id) do nothing; --")))
                .isInstanceOf(UnsafeIdentifierException.class);
        assertThatThrownBy(() -> h2.deleteKeyRange("orders", List.of("id;")))
                .isInstanceOf(UnsafeIdentifierException.class);
    }

    @Test
    void keysetChunkQuotesEveryNameAndComparesTheWholeKey() {
        assertThat(h2.keysetChunk("app.orders", List.of("tenant_id", "id", "note"), List.of("tenant_id", "id"), true, 500))
                .isEqualTo("select \"tenant_id\", \"id\", \"note\" from \"app\".\"orders\""
                        + " where (\"tenant_id\", \"id\") > (?, ?) order by \"tenant_id\", \"id\" limit 500");
        assertThat(h2.keysetChunk("orders", List.of("id"), List.of("id"), false, 10))
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
}
