package org.runbooks.api;

import org.runbooks.model.BackfillStep;

/**
 * Undo the copy recorded under {@code copyKey}: the copy's own progress record says which key range it wrote and
 * whether the target was empty before, so this can be registered before the copy starts.
 */
public record RemoveCopiedRows(String copyKey, BackfillStep step) {
}
