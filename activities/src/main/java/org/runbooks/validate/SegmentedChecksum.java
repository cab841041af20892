package org.runbooks.validate;

import org.runbooks.api.KeyDifferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Compares two tables of the same database kind where they are: the key space is cut into segments of about
 * {@link #SEGMENT_ROWS} source rows ({@link SegmentEnds}), both sides checksum each segment inside their databases at
 * the same time ({@link RangeChecksum}), and only a segment that differs is bisected down to its keys
 * ({@link Bisector}). Tables that agree are so read once per side, one range scan per segment. The first segment is
 * open below and the last open above, so target rows outside the source's keys are counted and listed too. Each
 * side's checksum is a SHA-256 chained over its segments' counts and sums, equal on both sides exactly when every
 * segment is. Rows whose key is NULL fall in no segment ({@code key > ?} is never true of NULL), so they are counted
 * and summed on their own after the last segment: a backfill never copies them, and a count that left them out on
 * both sides would hide exactly that.
 *
 * <p>Why a statement per segment, not one {@code group by <segment>} over the whole table per side: PostgreSQL cannot
 * estimate how many groups a computed segment number makes, plans a sort of every row, and spills it (three times
 * slower than the range scans on 500,000 rows); and a statement that runs for the whole table cannot heartbeat.</p>
 *
 * <p>After every segment the progress is reported (the activity heartbeats it), and a comparison given a checkpoint
 * continues after its last finished segment.
 */
final class SegmentedChecksum {

    /**
     * Source rows per segment: 10,000. Small enough that bisecting a segment with a difference costs little more
     * than checksumming it again, and that a retry loses little; each segment costs one range scan per side (and,
     * unless the key is a single integer, one more on the source to find where it ends).
     */
    static final int SEGMENT_ROWS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(SegmentedChecksum.class);

    /**
     * The comparison's outcome: the totals and the chained checksums, and the keys found to differ. Rows with a NULL
     * key lie in no segment; they are counted in the totals and hashed into the checksums as one last link, and
     * {@code sourceNullKeys} and {@code targetNullKeys} say how many there were.
     */
    record Outcome(long sourceRows, long targetRows, String sourceChecksum, String targetChecksum,
                   KeyDifferences differences, long sourceNullKeys, long targetNullKeys) {
    }

    private final BothSides sides;
    private final int segmentRows;
    private final int keyLimit;

    SegmentedChecksum(BothSides sides, int segmentRows, int keyLimit) {
        this.sides = sides;
        this.segmentRows = segmentRows;
        this.keyLimit = keyLimit;
    }

    /** Runs from {@code resumed} (or its start) to the end, reporting every finished segment to {@code progress}. */
    Outcome run(ValidationCheckpoint resumed, Consumer<ValidationCheckpoint> progress) throws SQLException {
        ValidationCheckpoint at = resumed;
        if (at.segments() > 0) {
            log.info("step={} resuming the table comparison after {} segment(s), at key {}", at.stepId(),
                    at.segments(), at.after());
        }
        Bisector bisector = new Bisector(sides, at.differences(), keyLimit);
        SegmentEnds ends = SegmentEnds.of(sides.source, segmentRows);
        boolean last = false;
        while (!last) {
            KeyInterval rest = new KeyInterval(at.after(), null);
            List<String> end = ends.endAfter(at.after());
            last = end == null;
            KeyInterval segment = last ? rest : rest.upTo(end);
            BothSides.Answers<RangeChecksum> sums = sides.ask(side -> side.checksum(segment));
            RangeChecksum s = sums.source();
            RangeChecksum t = sums.target();
            ends.counted(s.rows());
            if (!at.differences().truncated()) {
                bisector.locate(segment, s, t);
            }
            at = new ValidationCheckpoint(at.stepId(), end, at.segments() + 1, at.sourceRows() + s.rows(),
                    at.targetRows() + t.rows(), chain(at.sourceDigest(), s), chain(at.targetDigest(), t),
                    bisector.found());
            progress.accept(at);
        }
        BothSides.Answers<RangeChecksum> unkeyed = sides.ask(RangeReader::nullKeys);
        return new Outcome(at.sourceRows() + unkeyed.source().rows(), at.targetRows() + unkeyed.target().rows(),
                withNullKeys(at.sourceDigest(), unkeyed.source()), withNullKeys(at.targetDigest(), unkeyed.target()),
                at.differences(), unkeyed.source().rows(), unkeyed.target().rows());
    }

    /** The digest with a last link for the rows whose key is NULL; unchanged when there are none. */
    private static String withNullKeys(String digest, RangeChecksum nullKeys) {
        return nullKeys.rows() == 0 ? digest : chain(digest + "|null-keys", nullKeys);
    }

    /** The next link of a digest chain: SHA-256 of the previous link and this segment's count and sum. */
    private static String chain(String previous, RangeChecksum segment) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((previous + "|" + segment).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
