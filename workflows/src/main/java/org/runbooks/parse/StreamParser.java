package org.runbooks.parse;

import org.runbooks.model.StreamStep;
import org.runbooks.model.TableRef;

import java.util.List;

/**
 * {@code stream: {from: {connection, table}, to: {connection, table}, key: [..]}}; the backfills it waits for are
 * tied to it once every step is read ({@link StreamTies}).
 */
final class StreamParser implements StepParser<StreamStep> {

    @Override
    public StreamStep parse(String id, Node body) {
        TableRef from = Fields.table(body.object("from", true));
        TableRef to = Fields.table(body.object("to", true));
        List<String> key = Fields.keyColumns(body);
        if (from != null && to != null && from.connection() != null && from.connection().equals(to.connection())
                && from.table() != null && from.table().equals(to.table())) {
            body.error(body.child("to"), "is the table the stream reads from");
        }
        return new StreamStep(id, from, to, key, List.of());
    }
}
