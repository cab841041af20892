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

    /**
     * Freezes the application's writes to the request's tables: installs, in one go, a trigger per table that refuses
     * every insert, update and delete with a recognisable error (see {@link FreezeRequest}), named by the freeze id,
     * so calling it again installs nothing new. Its compensation is {@link #thawWrites}, registered before the call.
     *
     * <p>Why the position taken after it is honest: installing a trigger needs a table lock that conflicts with the
     * lock every writing transaction holds until it ends (PostgreSQL: SHARE ROW EXCLUSIVE against ROW EXCLUSIVE;
     * MariaDB: the exclusive metadata lock against any open transaction that touched the table). So the freeze waits
     * for the transactions already writing the tables to commit or roll back, and a transaction that began earlier
     * but writes only later sees the trigger (PostgreSQL reads catalog changes when it takes the table's lock). Once
     * this returns, nothing committed on the tables after the source position taken next. The wait is bounded by
     * {@link FreezeRequest#lockTimeoutMillis()}; past it the freeze fails ({@code FreezeBlocked}, naming the
     * transactions it waited for) and leaves nothing installed. New writers queue behind the freeze while it waits.
     */
    @ActivityMethod(name = "FreezeWrites")
    WritesFrozen freezeWrites(FreezeRequest request);

    /**
     * Lifts the freeze: removes exactly what {@link #freezeWrites} installed under the freeze id, wherever it is,
     * and says what it removed; thawing twice removes nothing the second time.
     */
    @ActivityMethod(name = "ThawWrites")
    WritesThawed thawWrites(ThawRequest request);
}
