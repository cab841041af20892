package org.runbooks.backfill;

import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;

/**
 * What every key range of one copy shares: where it reads, where it writes, which columns, and the chunk size.
 *
 * @param log the runbook and step, as every log line of the copy names them
 */
public record CopyJob(String log, String sourceConnection, Relation source, Dialect from, String targetConnection,
               String targetTable, Dialect to, CopyColumns columns, int chunkRows) {
}
