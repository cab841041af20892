package org.runbooks.cutover;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What a cutover does to the databases besides its stream and its freeze. Activity names are explicit, so moving
 * this interface changes nothing in history.
 */
@ActivityInterface
public interface CutoverActivities {

    /**
     * Sets each sequence or identity of the target table (PostgreSQL sequences owned by its columns, MariaDB's
     * AUTO_INCREMENT) past what the source would hand out next, plus {@code margin}, so the first write on the target
     * after the switch cannot collide with a row the source wrote. Never lowers a value: run again, it changes
     * nothing. Says what it set.
     */
    @ActivityMethod(name = "SyncSequences")
    SequenceSyncResult syncSequences(SequenceSyncRequest request);
}
