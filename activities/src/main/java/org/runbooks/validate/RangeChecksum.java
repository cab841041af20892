package org.runbooks.validate;

import java.math.BigInteger;

/**
 * One side's digest of a key interval, computed inside its database: the row count and the sum of every row's
 * 64-bit hash ({@link org.runbooks.jdbc.dialect.Dialect#rowHash}). A sum, not a chained digest, so that the interval's
 * two halves add up to it: after checksumming one half, the other is a subtraction, not a query.
 */
record RangeChecksum(long rows, BigInteger sum) {

    RangeChecksum minus(RangeChecksum part) {
        return new RangeChecksum(rows - part.rows, sum.subtract(part.sum));
    }

    /** {@code rows:sum}, as the digest chain and the checkpoint record it. */
    @Override
    public String toString() {
        return rows + ":" + sum;
    }
}
