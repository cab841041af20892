package org.runbooks.api;

/**
 * What a running copy slice has committed so far, sent by the slice to its phase ({@code sliceProgress}): the copy
 * {@code copyKey}, its key range {@code range} ({@link CopyRange#number()}), and that range's totals as its progress
 * row holds them after the latest committed chunk. Never ahead of the commit: the slice sends it only once the chunk
 * and its checkpoint have committed together.
 */
public record SliceProgress(String copyKey, int range, long rowsCopied, long chunks) {
}
