package org.runbooks.backfill;

import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Plans how a copy is split for {@code parallelism}: equal-width ranges of the leading key column between its
 * minimum and maximum in the source. Only integer keys can be cut that way; any other key, an empty source or a
 * span too narrow to cut leaves one range, with the reason.
 */
public final class KeyRanges {

    private static final Set<Integer> INTEGER_TYPES = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);

    /**
     * Where the ranges meet: {@code points} holds n - 1 values for n ranges (none: one range). {@code why} says why
     * the copy runs in fewer ranges than asked, or is null when it runs in as many.
     */
    record Split(List<Long> points, String why) {
    }

    private KeyRanges() {
    }

    /** Reads the leading key's type and span from the source and cuts it into at most {@code parallelism} ranges. */
    static Split plan(Connection source, Dialect dialect, Relation relation, String leadingKey, int leadingKeyType,
                      int parallelism) throws SQLException {
        if (parallelism <= 1) {
            return new Split(List.of(), null);
        }
        String notCut = whyNotCut(leadingKey, leadingKeyType);
        if (notCut != null) {
            return new Split(List.of(), notCut);
        }
        Long min;
        long max;
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(dialect.keySpan(relation, leadingKey))) {
            rs.next();
            min = rs.getLong(1);
            min = rs.wasNull() ? null : min;
            max = rs.getLong(2);
        }
        source.commit();
        return min == null ? new Split(List.of(), "the source is empty") : split(min, max, parallelism);
    }

    /**
     * Why a leading key of this {@link java.sql.Types} code cannot be cut into ranges at all, or null when it is an
     * integer column, which can; pre-flight asks it to plan a copy's ranges before the copy does.
     */
    public static String whyNotCut(String leadingKey, int leadingKeyType) {
        return INTEGER_TYPES.contains(leadingKeyType) ? null : "the leading key column " + leadingKey + " is "
                + typeName(leadingKeyType) + ", not an integer type, so it cannot be cut into equal-width ranges";
    }

    /** Cuts {@code [min, max]} into {@code parallelism} ranges whose widths differ by at most one key. */
    static Split split(long min, long max, int parallelism) {
        BigInteger low = BigInteger.valueOf(min);
        BigInteger span = BigInteger.valueOf(max).subtract(low).add(BigInteger.ONE);
        int ranges = span.compareTo(BigInteger.valueOf(parallelism)) < 0 ? span.intValueExact() : parallelism;
        List<Long> points = new ArrayList<>();
        for (int i = 1; i < ranges; i++) {
            points.add(low.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(ranges))).longValueExact());
        }
        String why = ranges < parallelism ? "the leading key spans only " + span + " values (" + min + " to " + max + ")"
                : null;
        return new Split(List.copyOf(points), why);
    }

    /** The ranges that {@code points} delimit, in key order; the first and the last are open-ended. */
    static List<CopyRange> between(String column, List<Long> points) {
        if (points.isEmpty()) {
            return List.of(CopyRange.whole(column));
        }
        int of = points.size() + 1;
        List<CopyRange> ranges = new ArrayList<>(of);
        for (int i = 0; i < of; i++) {
            ranges.add(new CopyRange(i + 1, of, column, i == 0 ? null : points.get(i - 1),
                    i == of - 1 ? null : points.get(i)));
        }
        return List.copyOf(ranges);
    }

    private static String typeName(int type) {
        try {
            return JDBCType.valueOf(type).getName().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "of JDBC type " + type;
        }
    }
}
