package org.runbooks.validate;

import java.sql.SQLException;
import java.util.List;

/**
 * Where a table comparison's next segment ends. Both sides are checksummed over the same segment, so its end is
 * chosen once, from the source. A single integer key is cut by arithmetic ({@link IntegerKeyEnds}), which reads no
 * rows; any other key by the source key at the segment's last position ({@link KeyPositionEnds}), which reads the
 * segment's keys once more.
 */
interface SegmentEnds {

    /** The last key of the segment after {@code after} (null: the first), or null when it is the last segment. */
    List<String> endAfter(List<String> after) throws SQLException;

    /** The source rows the segment just cut held, for cuts that size the next segment by it. */
    void counted(long sourceRows);

    /** Integer arithmetic when the source's key is one integer column, key positions otherwise. */
    static SegmentEnds of(RangeReader source, int segmentRows) throws SQLException {
        return source.integerKeySpan()
                .<SegmentEnds>map(span -> new IntegerKeyEnds(span, segmentRows))
                .orElseGet(() -> new KeyPositionEnds(source, segmentRows));
    }
}
