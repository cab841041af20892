package org.runbooks.model;

import java.time.Duration;

/**
 * A validate step's {@code lagWindow}: a row whose {@code column} (a timestamp) lies within {@code duration} of the
 * source database's now is still in flight (written on one side, not yet carried to the other by whatever keeps the
 * two in step), so its key is left out of both sides' counts, checksums and bisection. A row whose column is null
 * is not in flight and is compared.
 */
public record LagWindow(String column, Duration duration) {
}
