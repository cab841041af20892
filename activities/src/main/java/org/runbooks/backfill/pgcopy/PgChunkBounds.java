package org.runbooks.backfill.pgcopy;

import org.runbooks.api.CopyRange;
import org.runbooks.backfill.CopyJob;
import org.runbooks.jdbc.dialect.PostgresDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the next chunk of a key range starts and ends, read from the source's key index before a row is copied, so
 * the chunk can be named as a closed key interval {@code (<last key>, <chunk's last key>]} that both databases can
 * test and the checkpoint can record. One statement finds both ends, each part a walk along the key's index (the key
 * column alone, so index-only where the table is vacuumed), none a sort: the first key after the checkpoint
 * ({@code limit 1}), the {@code n}th ({@code offset n - 1 limit 1}), and the range's last key ({@code order by <key>
 * desc limit 1}), which ends the chunk when fewer than {@code n} keys remain, so the range's last chunk needs no
 * query of its own. (Taking the last of the first {@code n} keys instead, {@code order by <key> desc limit 1} over
 * them, sorts all {@code n}: twice the time, 50 against 27 ms for 200,000 {@code pgbench_accounts} keys.)
 */
final class PgChunkBounds {

    /** The first and last key of a chunk, as text in the source's key order. */
    record Bounds(List<String> first, List<String> last) {
    }

    private final CopyJob job;
    private final CopyRange range;
    private final Connection source;
    private final PostgresDialect from;

    PgChunkBounds(CopyJob job, CopyRange range, Connection source) {
        this.job = job;
        this.range = range;
        this.source = source;
        this.from = (PostgresDialect) job.from();
    }

    /** The bounds of the at most {@code rows} keys after {@code afterKey}; empty when the range has none left. */
    Optional<Bounds> next(List<String> afterKey, int rows) throws SQLException {
        List<String> key = job.columns().sourceKey();
        String keys = from.columnList(key);
        String where = PgKeyInterval.of(from, key, range, afterKey, null);
        String ascending = "select " + keys + " from " + from.relation(job.source()) + " where " + where
                + " order by " + keys;
        String descending = String.join(", ", key.stream().map(c -> from.quote(c) + " desc").toList());
        String sql = "(select 0, " + keys + " from (" + ascending + " limit 1) f) union all (select 1, " + keys
                + " from (" + ascending + " offset " + (Math.max(1, rows) - 1) + " limit 1) n) union all (select 2, "
                + keys + " from (select " + keys + " from " + from.relation(job.source()) + " where " + where
                + " order by " + descending + " limit 1) l)";
        List<String> first = null;
        List<String> nth = null;
        List<String> last = null;
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>(key.size());
                for (int i = 0; i < key.size(); i++) {
                    values.add(rs.getString(i + 2));
                }
                switch (rs.getInt(1)) {
                    case 0 -> first = values;
                    case 1 -> nth = values;
                    default -> last = values;
                }
            }
        }
        if (nth != null) {
            last = nth;
        }
        return first == null || last == null ? Optional.empty() : Optional.of(new Bounds(first, last));
    }
}
