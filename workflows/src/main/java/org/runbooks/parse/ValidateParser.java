package org.runbooks.parse;

import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.LagWindow;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlQuery;
import org.runbooks.model.Step;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateRepair;
import org.runbooks.model.ValidateStep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code validate: {between: {source, target}, key, rowCount, checksum, repair, lagWindow, kpis, assertions}}; a
 * comparison of the tables a stream keeps in step is tied to that stream, to compare it live.
 */
final class ValidateParser implements StepParser<ValidateStep> {

    private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Override
    public ValidateStep parse(String id, Node body) {
        Node between = body.object("between", false);
        TableRef source = null;
        TableRef target = null;
        List<String> key = List.of();
        long tolerance = 0;
        boolean checksum = false;
        ValidateRepair repair = null;
        LagWindow lagWindow = null;
        ChecksumColumns checksumColumns = null;
        if (between != null) {
            source = Fields.namedTable(between, "source");
            target = Fields.namedTable(between, "target");
            between.rejectUnknownKeys();
            key = Fields.keyColumns(body);
            Node rowCount = body.object("rowCount", false);
            if (rowCount != null) {
                tolerance = rowCount.optionalLong("tolerance", 0);
                if (tolerance < 0) {
                    rowCount.error(rowCount.child("tolerance"), "must be >= 0, not " + tolerance);
                }
                rowCount.rejectUnknownKeys();
            }
            checksumColumns = ChecksumOption.read(body);
            checksum = checksumColumns != null;
            lagWindow = LagWindowOption.read(body);
            repair = RepairOption.read(body);
            if (repair != null && !checksum) {
                body.error(body.child("repair"), "needs checksum, whose bisection finds the keys to repair");
                repair = null;
            }
        } else {
            for (String needsTables : List.of("key", "rowCount", "checksum", "repair", "lagWindow")) {
                if (body.has(needsTables)) {
                    body.skip(needsTables);
                    body.error(body.child(needsTables), "compares two tables, so it needs between");
                }
            }
        }
        Set<String> names = new HashSet<>();
        List<KpiCheck> kpis = new ArrayList<>();
        for (Node kpi : body.objects("kpis", false)) {
            kpis.add(kpi(kpi, names));
        }
        List<SqlAssertion> assertions = new ArrayList<>();
        for (Node assertion : body.objects("assertions", false)) {
            assertions.add(assertion(assertion, names));
        }
        if (between == null && kpis.isEmpty() && assertions.isEmpty() && !body.has("kpis") && !body.has("assertions")) {
            body.error(body.path(), "needs at least one of between, kpis or assertions");
        }
        return new ValidateStep(id, source, target, key, tolerance, checksum, kpis, assertions, repair,
                lagWindow, checksumColumns);
    }

    @Override
    public Step tie(ValidateStep validate, Ties ties) {
        if (!validate.comparesTables()) {
            return validate;
        }
        return ties.startedStreams().stream().filter(s -> validate.source().equals(s.from())
                && validate.target().equals(s.to())).findFirst().map(s -> (Step) validate.withLiveStream(s))
                .orElse(validate);
    }

    private static KpiCheck kpi(Node node, Set<String> names) {
        String name = checkName(node, names);
        SqlQuery source = sqlQuery(node.object("source", true));
        SqlQuery target = sqlQuery(node.object("target", true));
        boolean absolute = node.has("tolerance");
        Double tolerance = node.optionalNumber("tolerance");
        Double percent = node.optionalNumber("tolerancePercent");
        if (absolute && percent != null) {
            node.error(node.path(), "give tolerance or tolerancePercent, not both");
        }
        if (tolerance != null && tolerance < 0) {
            node.error(node.child("tolerance"), "must be >= 0, not " + tolerance);
        }
        if (percent != null && (percent < 0 || percent > 100)) {
            node.error(node.child("tolerancePercent"), "must be between 0 and 100, not " + percent);
        }
        node.rejectUnknownKeys();
        return new KpiCheck(name, source, target, tolerance == null ? 0 : tolerance, percent);
    }

    private static SqlAssertion assertion(Node node, Set<String> names) {
        String name = checkName(node, names);
        String connection = Fields.connection(node, "connection");
        String sql = node.requiredText("sql");
        Fields.readQuery(node, "sql", sql);
        long expect = node.optionalLong("expect", 0);
        node.rejectUnknownKeys();
        return new SqlAssertion(name, connection, sql, expect);
    }

    private static String checkName(Node node, Set<String> names) {
        String name = node.requiredText("name");
        if (name != null && !CHECK_NAME.matcher(name).matches()) {
            node.error(node.child("name"), "must be lowercase letters, digits and dashes");
        } else if (name != null && !names.add(name)) {
            node.error(node.child("name"), "duplicate check name '" + name + "' in this step");
        }
        return name;
    }

    private static SqlQuery sqlQuery(Node node) {
        if (node == null) {
            return null;
        }
        String connection = Fields.connection(node, "connection");
        String sql = node.requiredText("sql");
        Fields.readQuery(node, "sql", sql);
        node.rejectUnknownKeys();
        return new SqlQuery(connection, sql);
    }
}
