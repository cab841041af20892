package org.runbooks.validate;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.ValidateStep;

/** Runs a validate step's checks (table comparison, KPIs, assertions), reading only. */
@ActivityInterface
public interface ValidationActivities {

    /**
     * Counts rows on both sides and, when asked, checksums every column (paired by name or through the backfill's
     * mapping) in key order. Reads only.
     */
    @ActivityMethod(name = "Compare")
    ValidationReport compare(ValidateStep step);
}
