package org.runbooks.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which columns a validate step's checksum compares, and what a column it cannot compare does to the verdict.
 *
 * @param mapping source column to target column, taken from the backfill that copies the validated source table into
 *                the validated target (its {@code columns}); empty: columns are paired by name
 * @param leftOut what a column of either table that the checksum leaves out (unmapped, or with no namesake on the
 *                other side) does to the verdict
 */
public record ChecksumColumns(Map<String, String> mapping, LeftOutColumns leftOut) {

    /** Columns paired by name; a column on one side only fails the checksum. */
    public static final ChecksumColumns BY_NAME = new ChecksumColumns(Map.of(), LeftOutColumns.FAIL);

    public ChecksumColumns {
        mapping = mapping == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
        leftOut = leftOut == null ? LeftOutColumns.FAIL : leftOut;
    }

    /** The same policy, comparing through {@code columns} (source to target). */
    public ChecksumColumns through(Map<String, String> columns) {
        return new ChecksumColumns(columns, leftOut);
    }
}
