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
 * test and the checkpoint can record. One statement finds both ends:
 * {@code (select <key> ... order by <key> limit 1) union all (select <key> from (select <key> ... order by <key>
 * limit <n>) c order by <key> desc limit 1)}: the key column alone, so the index answers it (index-only where the
 * table is vacuumed), and the last of the first {@code n} keys is the chunk's end whether or not {@code n} remain,
 * so the range's last chunk needs no query of its own.
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
                + " from (" + ascending + " limit " + rows + ") c order by " + descending + " limit 1)";
        List<String> first = null;
        List<String> last = null;
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>(key.size());
                for (int i = 0; i < key.size(); i++) {
                    values.add(rs.getString(i + 2));
                }
                if (rs.getInt(1) == 0) {
                    first = values;
                } else {
                    last = values;
                }
            }
        }
        return first == null || last == null ? Optional.empty() : Optional.of(new Bounds(first, last));
    }
}
