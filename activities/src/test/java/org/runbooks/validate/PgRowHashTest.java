package org.runbooks.validate;

import org.junit.jupiter.api.Test;
import org.runbooks.jdbc.dialect.PostgresDialect;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which columns PostgreSQL hashes as stored and which as text, for each pair of types the two sides have. */
class PgRowHashTest {

    private final PostgresDialect dialect = new PostgresDialect();

    @Test
    void integersOfAnyWidthAndStringsOfEitherKindAreHashedAsStored() {
        String hash = PgRowHash.expression(dialect, List.of("id", "name"), Map.of("id", "int4", "name", "varchar"),
                Map.of("id", "int8", "name", "text"));

        assertThat(hash).isEqualTo("(coalesce(hashint8extended(\"id\"::int8, 1), 0)"
                + " # coalesce(hashtextextended(\"name\" collate \"C\", 2), 0))");
    }

    @Test
    void enumsFloatsAndMismatchedTypesAreHashedTogetherAsTheirRowText() {
        String hash = PgRowHash.expression(dialect, List.of("id", "mood", "ratio", "code", "at"),
                Map.of("id", "int8", "mood", "mood", "ratio", "float8", "code", "bpchar", "at", "timestamptz"),
                Map.of("id", "int8", "mood", "mood", "ratio", "float8", "code", "text", "at", "timestamptz"));

        assertThat(hash).isEqualTo("(coalesce(hashint8extended(\"id\"::int8, 1), 0)"
                + " # coalesce(timestamp_hash_extended(\"at\" at time zone 'UTC', 5), 0)"
                + " # hashtextextended(row(\"mood\", \"ratio\", \"code\")::text, 0))");
    }

    @Test
    void aSingleTextColumnIsTheDialectsOwnRowHash() {
        String hash = PgRowHash.expression(dialect, List.of("doc"), Map.of("doc", "json"), Map.of("doc", "json"));

        assertThat(hash).isEqualTo(dialect.rowHash(List.of("doc")));
    }
}
