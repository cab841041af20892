package org.runbooks.dialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * H2, for the demo's embedded databases. URLs must say {@code DATABASE_TO_LOWER=TRUE} so that names fold to lower
 * case as in PostgreSQL. Upserts are {@code merge into ... key (...)}; H2 converts text keys itself.
 */
public final class H2Dialect extends Dialect {

    @Override
    public void bindKey(PreparedStatement statement, int index, String value) throws SQLException {
        statement.setString(index, value);
    }

    @Override
    protected String doQuote(String identifier) {
        return "\"" + identifier + "\"";
    }

    @Override
    protected String doLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    protected String doUpsert(String quotedTable, List<String> columns, List<String> key) {
        return "merge into " + quotedTable + " (" + columnList(columns) + ") key " + row(key) + " values "
                + placeholders(columns.size());
    }
}
