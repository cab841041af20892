package org.runbooks.validate;

import java.sql.SQLException;
import java.util.List;

/** Segments of exactly {@code segmentRows} source rows: each ends at the source key in that position. */
final class KeyPositionEnds implements SegmentEnds {

    private final RangeReader source;
    private final int segmentRows;

    KeyPositionEnds(RangeReader source, int segmentRows) {
        this.source = source;
        this.segmentRows = segmentRows;
    }

    @Override
    public List<String> endAfter(List<String> after) throws SQLException {
        return source.keyAt(new KeyInterval(after, null), segmentRows - 1);
    }

    @Override
    public void counted(long sourceRows) {
    }
}
