package org.runbooks.jdbc.dialect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpsertRowsTest {

    @Test
    void aMultiRowUpsertRepeatsTheValuesRowAndKeepsTheConflictClause() {
        assertThat(new PostgresDialect().upsertRows("orders_v2", List.of("id", "note"), List.of("id"), 3))
                .isEqualTo("insert into \"orders_v2\" (\"id\", \"note\") values (?, ?), (?, ?), (?, ?)"
                        + " on conflict (\"id\") do update set \"note\" = excluded.\"note\"");
        assertThat(new MariaDbDialect().upsertRows("orders_v2", List.of("id", "note"), List.of("id"), 2))
                .isEqualTo("insert into `orders_v2` (`id`, `note`) values (?, ?), (?, ?)"
                        + " on duplicate key update `note` = values(`note`)");
        assertThat(new H2Dialect().upsertRows("orders_v2", List.of("id", "note"), List.of("id"), 2))
                .isEqualTo("merge into \"orders_v2\" (\"id\", \"note\") key (\"id\") values (?, ?), (?, ?)");
    }

    @Test
    void oneRowIsThePlainUpsert() {
        Dialect postgres = new PostgresDialect();
        assertThat(postgres.upsertRows("links", List.of("a", "b"), List.of("a", "b"), 1))
                .isEqualTo(postgres.upsert("links", List.of("a", "b"), List.of("a", "b")));
    }
}
