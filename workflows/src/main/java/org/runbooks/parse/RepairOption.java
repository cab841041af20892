package org.runbooks.parse;

import com.fasterxml.jackson.databind.JsonNode;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.Step;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateRepair;
import org.runbooks.model.ValidateStep;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validate step's {@code repair}: {@code true} (repair from the one backfill that copies into the validated target),
 * {@code {backfill: <step id>}} (repair from that backfill) or {@code false}. Which backfill it means can only be
 * told once every step is known, so {@link #check} runs after the whole runbook is read, and {@link #resolve} hands
 * the validate step its backfill step.
 */
final class RepairOption {

    private static final Pattern STEP_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private RepairOption() {
    }

    /** The option as written: null for none or {@code false}; a repair whose backfill is null means "infer it". */
    static ValidateRepair read(Node body) {
        JsonNode value = body.raw("repair");
        if (value == null || value.isNull() || (value.isBoolean() && !value.booleanValue())) {
            return null;
        }
        if (value.isBoolean()) {
            return new ValidateRepair(null, null);
        }
        if (value.isObject()) {
            Node repair = body.object("repair", false);
            String backfill = repair.requiredText("backfill");
            repair.rejectUnknownKeys();
            if (backfill != null && !STEP_ID.matcher(backfill).matches()) {
                repair.error(repair.child("backfill"), "must be a step id (lowercase letters, digits and dashes)");
                return null;
            }
            return backfill == null ? null : new ValidateRepair(backfill, null);
        }
        body.error(body.child("repair"), "must be true, false or {backfill: <step id>}, not "
                + Node.describe(value));
        return null;
    }

    /** Each repair names (or implies) exactly one backfill that writes the validated table on the validated key. */
    static void check(Checks checks, Map<String, Step> steps, Map<String, String> stepPaths) {
        steps.forEach((id, step) -> {
            if (step instanceof ValidateStep validate && validate.repair() != null && validate.target() != null) {
                String path = stepPaths.get(id) + ".validate.repair";
                String problem = problem(validate, steps);
                if (problem != null) {
                    checks.error(validate.repair().backfill() == null ? path : path + ".backfill", problem);
                }
            }
        });
    }

    /** The validate step with its repair's backfill filled in; a step without repair comes back as it is. */
    static ValidateStep resolve(ValidateStep validate, Map<String, Step> steps) {
        if (validate.repair() == null) {
            return validate;
        }
        String id = validate.repair().backfill() != null ? validate.repair().backfill()
                : writers(validate.target(), steps).get(0).id();
        return validate.withRepair(new ValidateRepair(id, (BackfillStep) steps.get(id)));
    }

    private static String problem(ValidateStep validate, Map<String, Step> steps) {
        TableRef target = validate.target();
        String named = validate.repair().backfill();
        BackfillStep backfill;
        if (named == null) {
            List<BackfillStep> writers = writers(target, steps);
            if (writers.isEmpty()) {
                return "no backfill step copies into " + target + ", so there is nothing to repair from";
            }
            if (writers.size() > 1) {
                return writers.size() + " backfill steps copy into " + target + " ("
                        + String.join(", ", writers.stream().map(BackfillStep::id).toList())
                        + "); name the one that repairs with repair: {backfill: <step id>}";
            }
            backfill = writers.get(0);
        } else {
            Step step = steps.get(named);
            if (step == null) {
                return "no step '" + named + "' in this runbook";
            }
            if (!(step instanceof BackfillStep b)) {
                return "step '" + named + "' is not a backfill step";
            }
            if (!sameTable(b.to(), target)) {
                return "backfill '" + named + "' copies into " + b.to() + ", not into " + target
                        + " that this step compares";
            }
            backfill = b;
        }
        List<String> written = backfill.key().stream().map(backfill::targetColumn).toList();
        if (!written.equals(validate.key())) {
            return "the key " + validate.key() + " is not the key " + written + " backfill '" + backfill.id()
                    + "' writes into " + target + "; repair matches rows on that key";
        }
        return null;
    }

    private static List<BackfillStep> writers(TableRef target, Map<String, Step> steps) {
        return steps.values().stream().filter(s -> s instanceof BackfillStep b && sameTable(b.to(), target))
                .map(BackfillStep.class::cast).toList();
    }

    /**
     * The same connection and the table written the same way: names are used as written, case included, so
     * {@code Orders} and {@code orders} are two tables.
     */
    private static boolean sameTable(TableRef a, TableRef b) {
        return a != null && b != null && a.connection().equals(b.connection())
                && a.table().equals(b.table());
    }
}
