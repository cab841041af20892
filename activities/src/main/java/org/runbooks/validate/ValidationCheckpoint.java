package org.runbooks.validate;

import org.runbooks.api.KeyDifferences;

import java.util.List;

/**
 * How far a table comparison got, sent as the validation activity's heartbeat after every segment, so a retried
 * attempt continues after the last finished segment instead of starting over.
 *
 * @param stepId        the validate step it belongs to; a checkpoint of another step is ignored
 * @param after         the last key of the last finished segment; null when none has finished
 * @param segments      segments finished
 * @param sourceRows    rows counted on the source so far
 * @param targetRows    rows counted on the target so far
 * @param sourceDigest  the source's digest chain over the finished segments
 * @param targetDigest  the target's digest chain
 * @param differences   the keys listed so far
 */
public record ValidationCheckpoint(String stepId, List<String> after, long segments, long sourceRows,
                                   long targetRows, String sourceDigest, String targetDigest,
                                   KeyDifferences differences) {

    static ValidationCheckpoint start(String stepId) {
        return new ValidationCheckpoint(stepId, null, 0, 0, 0, "", "", KeyDifferences.NONE);
    }
}
