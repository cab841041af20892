package org.runbooks.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns runbook text (YAML, or JSON, which YAML reads too) into a {@link Runbook}, or reports every error at once
 * with its field path. Pure: it reads no files and touches nothing.
 */
public final class RunbookParser {

    /** The only format version this parser reads. */
    public static final String API_VERSION = "runbook/v1";

    private static final List<String> STEP_KINDS = List.of("backfill", "validate", "flag", "sql", "gate");
    /** A key written twice is an error, not a silent last-one-wins. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** JSON gets its own reader because YAML refuses the tab indentation that JSON allows. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Set<String> knownConnections;

    /** @param knownConnections connection names the worker can resolve, or null to skip that check */
    public RunbookParser(Set<String> knownConnections) {
        this.knownConnections = knownConnections;
    }

    public Runbook parse(String text, String file) {
        List<RunbookError> errors = new ArrayList<>();
        JsonNode tree = text.strip().startsWith("{") ? readJson(text) : null;
        try {
            if (tree == null) {
                tree = YAML.readTree(text);
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" :
                    " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidRunbookException(List.of(new RunbookError(file, "(file)",
                    "not valid YAML" + where + ": " + e.getOriginalMessage())));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidRunbookException(List.of(new RunbookError(file, "(file)", "must be a mapping")));
        }
        Node root = new Node(tree, "", file, errors);
        String apiVersion = root.requiredText("apiVersion");
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            root.error("apiVersion", "must be " + API_VERSION + ", not '" + apiVersion + "'");
        }
        String name = root.requiredText("name");
        if (name != null && !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            root.error("name", "must be lowercase letters, digits and dashes (it becomes part of workflow ids)");
        }
        String owner = root.optionalText("owner", null);
        String description = root.optionalText("description", "");
        List<Phase> phases = new ArrayList<>();
        Set<String> phaseNames = new HashSet<>();
        Set<String> stepIds = new HashSet<>();
        for (Node phaseNode : root.objects("phases")) {
            String phaseName = phaseNode.requiredText("name");
            if (phaseName != null && !phaseNames.add(phaseName)) {
                phaseNode.error(phaseNode.child("name"), "duplicate phase name '" + phaseName + "'");
            }
            if (phaseName != null && !phaseName.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                phaseNode.error(phaseNode.child("name"), "must be lowercase letters, digits and dashes");
            }
            List<Step> steps = new ArrayList<>();
            for (Node stepNode : phaseNode.objects("steps")) {
                Step step = step(stepNode);
                if (step != null) {
                    if (!stepIds.add(step.id())) {
                        stepNode.error(stepNode.child("id"), "duplicate step id '" + step.id() + "'");
                    }
                    steps.add(step);
                }
            }
            phaseNode.rejectUnknownKeys();
            phases.add(new Phase(phaseName, steps));
        }
        root.rejectUnknownKeys();
        if (!errors.isEmpty()) {
            throw new InvalidRunbookException(errors);
        }
        return new Runbook(apiVersion, name, owner, description, phases);
    }

    /** The tree of a JSON document, or null when it is not valid JSON (then YAML reads it and reports why not). */
    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private Step step(Node node) {
        String id = node.requiredText("id");
        if (id != null && !id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
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
        Step step = switch (kind) {
            case "backfill" -> backfill(id, body);
            case "validate" -> validate(id, body);
            case "flag" -> flag(id, body);
            case "sql" -> sql(id, body);
            case "gate" -> gate(id, body);
            default -> throw new IllegalStateException("unhandled step kind " + kind);
        };
        body.rejectUnknownKeys();
        return step;
    }

    private BackfillStep backfill(String id, Node body) {
        TableRef from = table(body.object("from", true));
        TableRef to = table(body.object("to", true));
        List<String> key = keyColumns(body);
        int chunkRows = body.optionalInt("chunkRows", BackfillStep.DEFAULT_CHUNK_ROWS);
        if (chunkRows <= 0) {
            body.error(body.child("chunkRows"), "must be > 0, not " + chunkRows);
        }
        String onRollback = body.optionalText("onRollback", "delete-copied");
        BackfillRollback rollback = switch (onRollback) {
            case "delete-copied" -> BackfillRollback.DELETE_COPIED;
            case "keep" -> BackfillRollback.KEEP;
            default -> {
                body.error(body.child("onRollback"), "must be delete-copied or keep, not '" + onRollback + "'");
                yield BackfillRollback.DELETE_COPIED;
            }
        };
        return new BackfillStep(id, from, to, key, chunkRows, rollback);
    }

    private ValidateStep validate(String id, Node body) {
        Node between = body.object("between", true);
        TableRef source = null;
        TableRef target = null;
        if (between != null) {
            source = dottedTable(between, "source");
            target = dottedTable(between, "target");
            between.rejectUnknownKeys();
        }
        List<String> key = keyColumns(body);
        long tolerance = 0;
        Node rowCount = body.object("rowCount", false);
        if (rowCount != null) {
            tolerance = rowCount.optionalInt("tolerance", 0);
            if (tolerance < 0) {
                rowCount.error(rowCount.child("tolerance"), "must be >= 0, not " + tolerance);
            }
            rowCount.rejectUnknownKeys();
        }
        boolean checksum = false;
        Node checksumNode = body.object("checksum", false);
        if (checksumNode != null) {
            String columns = checksumNode.optionalText("columns", "all");
            if (!"all".equals(columns)) {
                checksumNode.error(checksumNode.child("columns"), "must be 'all', not '" + columns + "'");
            }
            checksumNode.rejectUnknownKeys();
            checksum = true;
        }
        return new ValidateStep(id, source, target, key, tolerance, checksum);
    }

    private FlagStep flag(String id, Node body) {
        String connection = connection(body, "connection");
        String name = body.requiredText("name");
        if (name != null && !name.matches("[A-Za-z0-9_.:-]{1,200}")) {
            body.error(body.child("name"), "must be letters, digits and . _ : - (at most 200)");
        }
        boolean hasPercent = body.has("percent");
        boolean hasEnabled = body.has("enabled");
        // Both are read either way, so that giving both is one error and not also two "unknown key"s.
        int percent = body.optionalInt("percent", 0);
        boolean enabled = body.optionalBoolean("enabled", false);
        if (hasPercent == hasEnabled) {
            body.error(body.path(), "needs exactly one of percent or enabled");
            percent = 0;
        } else if (hasEnabled) {
            percent = enabled ? 100 : 0;
        } else if (percent < 0 || percent > 100) {
            body.error(body.child("percent"), "must be between 0 and 100, not " + percent);
        }
        return new FlagStep(id, connection, name, percent);
    }

    private SqlStep sql(String id, Node body) {
        String connection = connection(body, "connection");
        String apply = body.requiredText("apply");
        String revert = body.optionalText("revert", null);
        boolean irreversible = body.optionalBoolean("irreversible", false);
        if (revert == null && !irreversible) {
            body.error(body.child("revert"), "is required; a step that cannot be undone says irreversible: true");
        }
        if (revert != null && irreversible) {
            body.error(body.child("irreversible"), "contradicts the revert given");
        }
        return new SqlStep(id, connection, apply, revert, irreversible);
    }

    private GateStep gate(String id, Node body) {
        List<String> approvers = body.textList("approvers", true);
        if (body.isEmptyList("approvers")) {
            body.error(body.child("approvers"), "must name at least one approver");
        }
        if (new HashSet<>(approvers).size() != approvers.size()) {
            body.error(body.child("approvers"), "names an approver twice");
        }
        int quorum = body.optionalInt("quorum", 1);
        if (quorum < 1) {
            body.error(body.child("quorum"), "must be >= 1, not " + quorum);
        } else if (!approvers.isEmpty() && quorum > approvers.size()) {
            body.error(body.child("quorum"), "must be <= number of approvers (" + approvers.size() + ")");
        }
        var timeout = body.optionalDuration("timeout");
        String onTimeout = body.optionalText("onTimeout", "rollback");
        GateTimeoutPolicy policy = switch (onTimeout) {
            case "rollback" -> GateTimeoutPolicy.ROLLBACK;
            case "keep-waiting" -> GateTimeoutPolicy.KEEP_WAITING;
            default -> {
                body.error(body.child("onTimeout"), "must be rollback or keep-waiting, not '" + onTimeout + "'");
                yield GateTimeoutPolicy.ROLLBACK;
            }
        };
        return new GateStep(id, approvers, quorum, timeout, policy);
    }

    private List<String> keyColumns(Node body) {
        List<String> key = body.textList("key", true);
        if (body.isEmptyList("key")) {
            body.error(body.child("key"), "must name at least one column");
        }
        for (int i = 0; i < key.size(); i++) {
            if (!Identifiers.isSafeName(key.get(i))) {
                body.error(body.child("key") + "[" + i + "]", "'" + key.get(i) + "' is not a safe column name");
            }
        }
        return key;
    }

    private TableRef table(Node node) {
        if (node == null) {
            return null;
        }
        String connection = connection(node, "connection");
        String table = node.requiredText("table");
        if (table != null && !Identifiers.isSafeTable(table)) {
            node.error(node.child("table"), "'" + table + "' is not a safe table name (schema.table, letters, digits, _)");
        }
        node.rejectUnknownKeys();
        return new TableRef(connection, table);
    }

    /** {@code connection.schema.table} or {@code connection.table}. */
    private TableRef dottedTable(Node node, String key) {
        String text = node.requiredText(key);
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || !Identifiers.isSafeTable(text.substring(dot + 1))) {
            node.error(node.child(key), "must be connection.schema.table, not '" + text + "'");
            return null;
        }
        String connection = text.substring(0, dot);
        checkConnection(node, node.child(key), connection);
        return new TableRef(connection, text.substring(dot + 1));
    }

    private String connection(Node node, String key) {
        String connection = node.requiredText(key);
        if (connection != null) {
            checkConnection(node, node.child(key), connection);
        }
        return connection;
    }

    private void checkConnection(Node node, String path, String connection) {
        if (knownConnections != null && !knownConnections.contains(connection)) {
            node.error(path, "unknown connection '" + connection + "'; the worker knows " +
                    knownConnections.stream().sorted().toList());
        }
    }
}
