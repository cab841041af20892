package org.runbooks.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a KPI or assertion query gave: its one number, or why it gave none. A query that returns anything other than
 * one row with one number is a failed check that says what came back, so the runbook's author can fix the query.
 */
public record SingleNumber(BigDecimal value, String problem) {

    /** Longest piece of a returned value quoted back in a problem: 60 characters. */
    private static final int QUOTED_CHARS = 60;

    static SingleNumber of(BigDecimal value) {
        return new SingleNumber(value, null);
    }

    static SingleNumber problem(String problem) {
        return new SingleNumber(null, problem);
    }

    public boolean isNumber() {
        return value != null;
    }

    /** The value as the database wrote it, or null when there is none. */
    public String text() {
        return value == null ? null : value.toPlainString();
    }

    /** Reads the one number out of {@code rs}; the statement should be limited to two rows, enough to see a second. */
    static SingleNumber read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        if (meta.getColumnCount() != 1) {
            return problem("returned " + meta.getColumnCount() + " columns " + columnNames(meta)
                    + "; a check needs exactly one row with one number");
        }
        if (!rs.next()) {
            return problem("returned no rows; a check needs exactly one row with one number");
        }
        Object value = rs.getObject(1);
        if (rs.next()) {
            return problem("returned more than one row; a check needs exactly one (aggregate it, e.g. count(*) or sum(...))");
        }
        if (value == null) {
            return problem("returned NULL; use coalesce(..., 0) if an empty result should count as 0");
        }
        if (!(value instanceof Number number)) {
            return problem("returned the " + meta.getColumnTypeName(1).toLowerCase(Locale.ROOT) + " value '"
                    + quoted(value) + "', not a number");
        }
        return decimal(number);
    }

    private static SingleNumber decimal(Number number) {
        return switch (number) {
            case BigDecimal d -> of(d);
            case BigInteger i -> of(new BigDecimal(i));
            case Double d when d.isNaN() || d.isInfinite() -> problem("returned " + d + ", not a finite number");
            case Float f when f.isNaN() || f.isInfinite() -> problem("returned " + f + ", not a finite number");
            case Double d -> of(BigDecimal.valueOf(d));
            case Float f -> of(new BigDecimal(f.toString()));
            case Long l -> of(BigDecimal.valueOf(l));
            case Integer i -> of(BigDecimal.valueOf(i));
            case Short s -> of(BigDecimal.valueOf(s));
            case Byte b -> of(BigDecimal.valueOf(b));
            default -> of(new BigDecimal(number.toString()));
        };
    }

    private static List<String> columnNames(ResultSetMetaData meta) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static String quoted(Object value) {
        String text = String.valueOf(value);
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
    }
}
