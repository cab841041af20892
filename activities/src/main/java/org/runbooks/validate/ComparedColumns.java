package org.runbooks.validate;

import org.runbooks.model.ChecksumColumns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The columns a checksum compares, paired: {@code source.get(i)} on the source against {@code target.get(i)} on the
 * target, by name or through the backfill's mapping; and the columns of either table it leaves out, which it can say
 * nothing about. Pre-flight pairs them the same way, to say before the copy what a checksum will leave out.
 */
public record ComparedColumns(List<String> source, List<String> target, List<String> sourceOnly,
                              List<String> targetOnly) {

    public ComparedColumns {
        source = List.copyOf(source);
        target = List.copyOf(target);
        sourceOnly = List.copyOf(sourceOnly);
        targetOnly = List.copyOf(targetOnly);
    }

    /**
     * Pairs the two tables' columns through {@code columns}' mapping (source to target) when it has one, else by
     * name. A mapped column missing on its side is left out like an unmapped one.
     */
    public static ComparedColumns of(ChecksumColumns columns, List<String> sourceColumns, List<String> targetColumns) {
        Map<String, String> mapping = columns.mapping();
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        for (String column : sourceColumns) {
            String paired = mapping.isEmpty() ? column : mapping.get(column);
            if (paired != null && targetColumns.contains(paired)) {
                source.add(column);
                target.add(paired);
            }
        }
        return new ComparedColumns(source, target,
                sourceColumns.stream().filter(c -> !source.contains(c)).toList(),
                targetColumns.stream().filter(c -> !target.contains(c)).toList());
    }

    /**
     * The key as the source names it. A runbook may give the key in either table's names; a key column the source
     * lacks but the mapping renames is taken by its source name.
     */
    List<String> sourceKey(List<String> key) {
        return key.stream().map(k -> renamed(k, target, source, sourceOnly)).toList();
    }

    /** The key as the target names it; see {@link #sourceKey}. */
    List<String> targetKey(List<String> key) {
        return key.stream().map(k -> renamed(k, source, target, targetOnly)).toList();
    }

    /** {@code column}, or its pair on the other side when that side has no column of its name. */
    private static String renamed(String column, List<String> from, List<String> to, List<String> toOnly) {
        int i = from.indexOf(column);
        return i < 0 || to.contains(column) || toOnly.contains(column) ? column : to.get(i);
    }

    public boolean leavesOut() {
        return !sourceOnly.isEmpty() || !targetOnly.isEmpty();
    }

    /** Each compared pair as {@code name}, or {@code source->target} where the names differ. */
    public List<String> described() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            pairs.add(source.get(i).equals(target.get(i)) ? source.get(i) : source.get(i) + "->" + target.get(i));
        }
        return pairs;
    }
}
