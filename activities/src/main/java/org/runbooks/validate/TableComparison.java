package org.runbooks.validate;

import org.runbooks.api.KeyDifferences;
import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.Tables;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The table half of a validation: each side's row count and, when the step asks, a checksum over the columns of
 * both tables, paired by name or through the backfill's mapping ({@link ComparedColumns}). Two databases of the
 * same kind checksum key ranges where the rows are and bisect a difference down to its keys
 * ({@link SegmentedChecksum}); two of different kinds cannot hash alike, so their rows are streamed into one SHA-256
 * per side instead ({@link TableChecksum}), which tells only whether they differ. Errors here (a missing
 * table, an unsafe name) fail the activity: the runbook names the tables, so no retry and no verdict can help.
 * With a lag window, every count, checksum and bisection on both sides leaves out the rows still in flight
 * ({@link InFlightRows}).
 *
 * @param sourceChecksum null when the step asks for no checksum
 * @param differences    the keys found to differ; {@link KeyDifferences#NONE} when none were looked for
 * @param inFlight       the rows every count and checksum left out
 * @param sourceNullKeys the source rows whose key is NULL (counted and hashed all the same; no key names them)
 * @param targetNullKeys the same on the target
 * @param columns        the columns the checksum compared and the ones it left out; null when it ran no checksum
 */
record TableComparison(long sourceRows, long targetRows, String sourceChecksum, String targetChecksum,
                       KeyDifferences differences, InFlightRows inFlight, long sourceNullKeys, long targetNullKeys,
                       ComparedColumns columns) {

    /** How a comparison is cut and how much it lists; the activity's defaults, smaller in tests. */
    record Limits(int segmentRows, int keyLimit) {

        static final Limits DEFAULT = new Limits(SegmentedChecksum.SEGMENT_ROWS, Bisector.MAX_LISTED_KEYS);
    }

    static TableComparison run(ReadOnlyQueries queries, ValidateStep step, Limits limits, ValidationCheckpoint resumed,
                               Consumer<ValidationCheckpoint> progress) throws SQLException {
        TableRef source = step.source();
        TableRef target = step.target();
        InFlightRows inFlight = InFlightRows.of(queries, step);
        if (!step.checksum()) {
            long sourceRows = queries.read(source.connection(), (c, d) -> inFlight.count(c, d, source.table()));
            long targetRows = queries.read(target.connection(), (c, d) -> inFlight.count(c, d, target.table()));
            return new TableComparison(sourceRows, targetRows, null, null, KeyDifferences.NONE, inFlight, 0, 0, null);
        }
        List<String> sourceColumns = queries.read(source.connection(), (c, d) -> Tables.columns(c, d, source.table()));
        List<String> targetColumns = queries.read(target.connection(), (c, d) -> Tables.columns(c, d, target.table()));
        ComparedColumns columns = ComparedColumns.of(step.checksumColumns(), sourceColumns, targetColumns);
        List<String> sourceKey = columns.sourceKey(step.key());
        List<String> targetKey = columns.targetKey(step.key());
        if (queries.dialect(source.connection()).getClass() == queries.dialect(target.connection()).getClass()) {
            PgRowHash.BothSides rowHash = queries.dialect(source.connection()).hasExtendedHashes()
                    ? PgRowHash.forTables(queries, source, target, columns) : new PgRowHash.BothSides(null, null);
            try (BothSides sides = new BothSides(
                    new RangeReader(queries, source.connection(), source.table(), columns.source(), sourceKey,
                            inFlight, rowHash.source()),
                    new RangeReader(queries, target.connection(), target.table(), columns.target(), targetKey,
                            inFlight, rowHash.target()),
                    source.connection().equals(target.connection()))) {
                SegmentedChecksum.Outcome outcome = new SegmentedChecksum(sides, limits.segmentRows(), limits.keyLimit())
                        .run(resumed, progress);
                return new TableComparison(outcome.sourceRows(), outcome.targetRows(), outcome.sourceChecksum(),
                        outcome.targetChecksum(), outcome.differences(), inFlight, outcome.sourceNullKeys(),
                        outcome.targetNullKeys(), columns);
            }
        }
        long sourceRows = queries.read(source.connection(), (c, d) -> inFlight.count(c, d, source.table()));
        long targetRows = queries.read(target.connection(), (c, d) -> inFlight.count(c, d, target.table()));
        String sourceSum = queries.read(source.connection(),
                (c, d) -> TableChecksum.of(c, d, source.table(), columns.source(), sourceKey, inFlight));
        String targetSum = queries.read(target.connection(),
                (c, d) -> TableChecksum.of(c, d, target.table(), columns.target(), targetKey, inFlight));
        return new TableComparison(sourceRows, targetRows, sourceSum, targetSum, KeyDifferences.NONE, inFlight, 0, 0,
                columns);
    }
}
