package org.runbooks.backfill;

import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checkpoints of an instant key ({@code timestamptz}) that a worker from before issue 13 wrote: it kept a key as
 * {@code String.valueOf(java.sql.Timestamp)}, the instant's wall-clock time in that worker JVM's zone with no offset
 * ({@code 2024-11-03 01:30:00.0}). Today's keys are the database's own text, read in a UTC session, so they always
 * end in an offset ({@code 2024-11-03 05:30:00+00}). Read in the UTC session, a legacy key is off by the old JVM's
 * offset, which nothing recorded: written in a zone east of UTC, it names a later instant than the one copied, and a
 * resumed copy would skip the rows between.
 *
 * <p>So a legacy key of an instant column is resolved to the earliest instant it can name: its wall-clock time at
 * {@value #EARLIEST_OFFSET}, the furthest-ahead offset any zone uses. The copy then resumes at or before the point
 * where it stopped, never after it; the rows in between (up to 26 hours of keys) are upserted once more, which leaves
 * them as they were, and counted again in the range's {@code rowsCopied}. The next chunk's checkpoint is in today's
 * form, so this happens once per range.
 */
final class LegacyInstantKeys {

    private static final Logger log = LoggerFactory.getLogger(LegacyInstantKeys.class);

    /** The offset of the furthest-ahead zone in use (Line Islands): a wall-clock time there is its earliest instant. */
    static final String EARLIEST_OFFSET = "+14:00";

    /** The offset of the furthest-behind zone in use (Baker Island): a wall-clock time there is its latest instant. */
    static final String LATEST_OFFSET = "-12:00";

    /** {@code java.sql.Timestamp#toString}: always a fraction of at least one digit, never an offset. */
    private static final Pattern LEGACY = Pattern.compile("\\d{4,}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{1,9}");

    private LegacyInstantKeys() {
    }

    /**
     * {@code progress} with a legacy last key of an instant column resolved to where the copy may safely resume
     * (and its first key likewise); {@code progress} itself when no key value has the legacy form, without asking
     * the source anything.
     */
    static CopyProgress resumable(CopyJob job, Connection source, CopyProgress progress) throws SQLException {
        return resolved(job, source, progress, EARLIEST_OFFSET, EARLIEST_OFFSET, "resuming from");
    }

    /**
     * {@code progress} with legacy keys of instant columns resolved to a span that holds every row the copy wrote:
     * its first key at its earliest instant, its last key at its latest ({@value #LATEST_OFFSET}), for a rollback of
     * a copy that committed no chunk since the upgrade. The rollback deletes only rows the source holds as they are,
     * so the wider span can only remove rows equal to the source's.
     */
    static CopyProgress spanning(CopyJob job, Connection source, CopyProgress progress) throws SQLException {
        return resolved(job, source, progress, EARLIEST_OFFSET, LATEST_OFFSET, "removing up to");
    }

    private static CopyProgress resolved(CopyJob job, Connection source, CopyProgress progress, String firstOffset,
                                         String lastOffset, String doing) throws SQLException {
        if (!looksLegacy(progress.lastKey()) && !looksLegacy(progress.firstKey())) {
            return progress;
        }
        boolean[] instant = instantColumns(job.from(), source, job.source(), job.columns().sourceKey());
        List<String> last = withOffset(progress.lastKey(), instant, lastOffset);
        List<String> first = withOffset(progress.firstKey(), instant, firstOffset);
        if (Objects.equals(last, progress.lastKey()) && Objects.equals(first, progress.firstKey())) {
            return progress;
        }
        log.warn("{} checkpoint {} holds a time key without an offset, as workers before issue 13 wrote it in their"
                + " JVM's zone; {} the furthest instant it can name, {}", job.log(), progress.copyKey(), doing, last);
        return new CopyProgress(progress.copyKey(), first, last, progress.rowsCopied(), progress.chunks(),
                progress.targetRowsBefore(), progress.rolledBack(), progress.chunkRows());
    }

    /** {@code key} with each legacy value of an {@code instant} column given {@code offset}. */
    private static List<String> withOffset(List<String> key, boolean[] instant, String offset) {
        if (key == null) {
            return null;
        }
        List<String> resolved = new ArrayList<>(key);
        for (int c = 0; c < resolved.size(); c++) {
            String value = resolved.get(c);
            if (instant[c] && value != null && LEGACY.matcher(value).matches()) {
                resolved.set(c, value + offset);
            }
        }
        return resolved;
    }

    private static boolean looksLegacy(List<String> key) {
        return key != null && key.stream().anyMatch(v -> v != null && LEGACY.matcher(v).matches());
    }

    /** Which of the {@code key} columns of {@code table} hold instants (a time with a time zone). */
    private static boolean[] instantColumns(Dialect from, Connection source, Relation table, List<String> key)
            throws SQLException {
        boolean[] instant = new boolean[key.size()];
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("select " + from.columnList(key) + " from " + from.relation(table)
                     + " where 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int c = 0; c < instant.length; c++) {
                instant[c] = meta.getColumnType(c + 1) == Types.TIMESTAMP_WITH_TIMEZONE
                        || "timestamptz".equalsIgnoreCase(meta.getColumnTypeName(c + 1));
            }
        } finally {
            source.commit();
        }
        return instant;
    }
}
