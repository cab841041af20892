package org.runbooks.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.runbooks.model.AutoNotify;
import org.runbooks.model.ControlPolicy;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.model.StepKind;
import org.runbooks.model.ValidateStep;
import org.runbooks.model.WaitStep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns runbook text (YAML, or JSON) into a {@link Runbook}, or reports every error at once with its line, column
 * and field path. Pure: it reads no files and touches nothing.
 */
public final class RunbookParser {

    /** The only format version this parser reads. */
    public static final String API_VERSION = "runbook/v1";
    /** The step kinds, each written as the one key of a step besides {@code id}. */
    public static final List<String> STEP_KINDS = StepKind.texts();

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** A key written twice is an error, not a silent last-one-wins. */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** JSON gets its own reader because YAML refuses the tab indentation that JSON allows. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Set<String> knownConnections;
    private final Set<String> knownWebhooks;

    /** @param knownConnections connection names the worker can resolve, or null to skip that check */
    public RunbookParser(Set<String> knownConnections) {
        this(knownConnections, null);
    }

    /** @param knownWebhooks webhook names the worker can resolve, or null to skip that check */
    public RunbookParser(Set<String> knownConnections, Set<String> knownWebhooks) {
        this.knownConnections = knownConnections;
        this.knownWebhooks = knownWebhooks;
    }

    public Runbook parse(String text, String file) {
        SourceTree source = read(text, file);
        if (source.root() == null || !source.root().isObject()) {
            throw new InvalidRunbookException(List.of(new RunbookError(file, 1, 1, "(file)", "must be a mapping")));
        }
        Checks checks = new Checks(file, source, knownConnections, knownWebhooks);
        Node root = new Node(source.root(), "", checks);
        String apiVersion = root.requiredText("apiVersion");
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            root.error("apiVersion", "must be " + API_VERSION + ", not '" + apiVersion + "'");
        }
        String name = root.requiredText("name");
        if (name != null && !NAME.matcher(name).matches()) {
            root.error("name", "must be lowercase letters, digits and dashes (it becomes part of workflow ids)");
        }
        String owner = root.optionalText("owner", null);
        String description = root.optionalText("description", "");
        AutoNotify notify = RunbookOptions.autoNotify(root.object("notify", false));
        ControlPolicy controls = RunbookOptions.controls(root.object("controls", false));
        List<Phase> phases = new ArrayList<>();
        Set<String> phaseNames = new HashSet<>();
        Map<String, Step> steps = new LinkedHashMap<>();
        Map<String, String> stepPaths = new LinkedHashMap<>();
        for (Node phaseNode : root.objects("phases")) {
            phases.add(phase(phaseNode, phaseNames, steps, stepPaths));
        }
        root.rejectUnknownKeys();
        checkReferences(checks, steps, stepPaths);
        Map<String, Step> tied = StreamTies.tie(checks, steps, stepPaths);
        RepairOption.check(checks, steps, stepPaths);
        ChecksumOption.check(checks, steps, stepPaths);
        if (!checks.errors().isEmpty()) {
            throw new InvalidRunbookException(checks.errors());
        }
        return new Runbook(apiVersion, name, owner, description, phases.stream().map(p -> resolve(p, tied)).toList(),
                notify, controls);
    }

    /**
     * The phase with each step as tied ({@link StreamTies}), each wait's {@code revalidate} replaced by the validate
     * step it names, each validate step's {@code repair} by the backfill step it repairs from, and its checksum's
     * columns by that backfill's mapping.
     */
    private static Phase resolve(Phase phase, Map<String, Step> steps) {
        List<Step> resolved = phase.steps().stream().map(step -> step instanceof WaitStep wait
                && wait.revalidate() != null ? (Step) wait.resolved(resolve(
                        (ValidateStep) steps.get(wait.revalidate()), steps))
                : step instanceof ValidateStep ? resolve((ValidateStep) steps.get(step.id()), steps)
                : steps.get(step.id())).toList();
        return new Phase(phase.name(), resolved, phase.domain(), phase.pauseOnFailure());
    }

    /** The validate step with its repair's backfill and its checksum's column mapping filled in. */
    private static ValidateStep resolve(ValidateStep validate, Map<String, Step> steps) {
        return ChecksumOption.resolve(RepairOption.resolve(validate, steps), steps);
    }

    private Phase phase(Node node, Set<String> phaseNames, Map<String, Step> steps, Map<String, String> stepPaths) {
        String phaseName = node.requiredText("name");
        if (phaseName != null && !phaseNames.add(phaseName)) {
            node.error(node.child("name"), "duplicate phase name '" + phaseName + "'");
        }
        if (phaseName != null && !NAME.matcher(phaseName).matches()) {
            node.error(node.child("name"), "must be lowercase letters, digits and dashes");
        }
        String domain = node.optionalText("domain", null);
        if (domain != null && !NAME.matcher(domain).matches()) {
            node.error(node.child("domain"), "must be lowercase letters, digits and dashes");
        }
        List<Step> phaseSteps = new ArrayList<>();
        List<String> pauseOnFailure = new ArrayList<>();
        for (Node stepNode : node.objects("steps")) {
            String onFailure = stepNode.optionalText("onFailure", "rollback");
            if (!onFailure.equals("rollback") && !onFailure.equals("pause")) {
                stepNode.error(stepNode.child("onFailure"), "must be rollback or pause, not '" + onFailure + "'");
            }
            Step step = step(stepNode);
            if (step == null) {
                continue;
            }
            if (onFailure.equals("pause")) {
                pauseOnFailure.add(step.id());
            }
            if (steps.containsKey(step.id())) {
                stepNode.error(stepNode.child("id"), "duplicate step id '" + step.id() + "'");
            } else {
                steps.put(step.id(), step);
                stepPaths.put(step.id(), stepNode.path());
            }
            phaseSteps.add(step);
        }
        node.rejectUnknownKeys();
        return new Phase(phaseName, phaseSteps, domain, pauseOnFailure);
    }

    /** A wait's {@code revalidate} names a validate step somewhere in the runbook. */
    private static void checkReferences(Checks checks, Map<String, Step> steps, Map<String, String> stepPaths) {
        steps.forEach((id, step) -> {
            if (step instanceof WaitStep wait && wait.revalidate() != null) {
                Step named = steps.get(wait.revalidate());
                String path = stepPaths.get(id) + ".wait.revalidate";
                if (named == null) {
                    checks.error(path, "no step '" + wait.revalidate() + "' in this runbook");
                } else if (!(named instanceof ValidateStep)) {
                    checks.error(path, "step '" + wait.revalidate() + "' is not a validate step");
                }
            }
        });
    }

    /** The text as a tree that knows where each path starts; a text that is not YAML or JSON is refused. */
    static SourceTree read(String text, String file) {
        boolean json = text.strip().startsWith("{");
        try (JsonParser parser = json ? JSON.createParser(text) : YAML.createParser(text)) {
            return SourceTree.read(parser);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new InvalidRunbookException(List.of(new RunbookError(file, line, column, "(file)",
                    "not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new IllegalStateException("reading text from memory failed", e);
        }
    }

    private Step step(Node node) {
        String id = node.requiredText("id");
        if (id != null && !NAME.matcher(id).matches()) {
            node.error(node.child("id"), "must be lowercase letters, digits and dashes");
        }
        List<String> kinds = STEP_KINDS.stream().filter(node::has).toList();
        if (kinds.size() != 1) {
            node.error(node.path(), kinds.isEmpty()
                    ? "a step needs exactly one of " + STEP_KINDS
                    : "a step has exactly one kind, found " + kinds);
            STEP_KINDS.forEach(k -> node.object(k, false));
            node.rejectUnknownKeys();
            return null;
        }
        String kind = kinds.get(0);
        Node body = node.object(kind, true);
        node.rejectUnknownKeys();
        if (body == null) {
            return null;
        }
        Step step = StepKinds.parse(StepKind.of(kind).orElseThrow(
                () -> new IllegalStateException("unhandled step kind " + kind)), id, body);
        body.rejectUnknownKeys();
        return step;
    }
}
