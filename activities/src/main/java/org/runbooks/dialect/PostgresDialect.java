package org.runbooks.dialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL: {@code insert ... on conflict do update}, and key values sent untyped so the server casts them. */
public final class PostgresDialect extends Dialect {

    @Override
    public void bindKey(PreparedStatement statement, int index, String value) throws SQLException {
        statement.setObject(index, value, Types.OTHER);
    }

    @Override
    protected String doQuote(String identifier) {
        return "\"" + identifier + "\"";
    }

    @Override
    protected String doUpsert(String quotedTable, List<String> columns, List<String> key) {
        List<String> rest = columns.stream().filter(c -> !key.contains(c)).toList();
        String conflict = rest.isEmpty() ? " do nothing" : " do update set "
                + rest.stream().map(c -> quote(c) + " = excluded." + quote(c)).collect(Collectors.joining(", "));
        return "insert into " + quotedTable + " (" + columnList(columns) + ") values "
                + placeholders(columns.size()) + " on conflict " + row(key) + conflict;
    }
}
