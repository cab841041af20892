package org.runbooks.validate;

import java.util.List;

/**
 * Segments of a single integer key cut by arithmetic: {@code (after, after + width]}, so finding where a segment ends
 * costs no query, and each side reads each row once. The width starts at {@code segmentRows} keys (a dense key: one
 * row per value) and follows the rows the source actually held in the last segment, so sparse keys (every third
 * id, a key with gaps) still make segments of about {@code segmentRows} rows; it changes at most eightfold per
 * segment, so a gap cannot make the next segment huge. The first segment is open below and the one that reaches the
 * source's largest key open above, so target keys outside the source's span are checksummed too.
 */
final class IntegerKeyEnds implements SegmentEnds {

    /** Most a segment's width grows or shrinks from one segment to the next: eightfold. */
    private static final long MAX_STEP = 8;

    /** The source's smallest and largest key when the comparison starts. */
    record Span(long min, long max) {
    }

    private final Span span;
    private final int segmentRows;
    private long width;

    IntegerKeyEnds(Span span, int segmentRows) {
        this.span = span;
        this.segmentRows = segmentRows;
        this.width = segmentRows;
    }

    @Override
    public List<String> endAfter(List<String> after) {
        long from = span.min();
        if (after != null) {
            long last = Long.parseLong(after.get(0));
            if (last >= span.max()) {
                return null;
            }
            from = Math.max(last + 1, from);
        }
        long room;
        try {
            room = Math.subtractExact(span.max(), from);
        } catch (ArithmeticException e) {
            room = Long.MAX_VALUE;
        }
        return room < width ? null : List.of(Long.toString(from + width - 1));
    }

    @Override
    public void counted(long sourceRows) {
        long wanted = sourceRows == 0 ? Long.MAX_VALUE : (long) ((double) width * segmentRows / sourceRows);
        width = Math.max(1, Math.max(width / MAX_STEP, Math.min(wanted, multiplyCapped(width, MAX_STEP))));
    }

    private static long multiplyCapped(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
