package org.runbooks.api;

import org.runbooks.model.TableRef;

import java.util.List;

/**
 * A reverse stream a switch back waits for (see {@link Compensation.SwitchBack}): from the cutover's target table back
 * to its source table.
 *
 * @param workflowId the reverse stream's workflow id
 * @param streamId   the reverse stream's id (slot, publication, applied position)
 * @param from       the cutover's target table
 * @param to         the cutover's source table
 * @param key        the key both tables share
 */
public record ReverseStream(String workflowId, String streamId, TableRef from, TableRef to, List<String> key) {
}
