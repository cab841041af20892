package org.runbooks.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the shipped Grafana dashboard and the worker's Prometheus page, so tests can hold one to the other: the
 * metric names every panel query and variable asks for, and the names a scrape exports.
 */
public final class DashboardQueries {

    /** The dashboard, from the worker module's directory (where Maven runs its tests). */
    public static final Path DASHBOARD = Path.of("..", "docs", "grafana", "runbooks-dashboard.json");

    /** Our metrics and the Temporal SDK's: label names (runbook=~...) and PromQL functions never match. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:runbook|temporal)_[a-z0-9_]+\\b");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private DashboardQueries() {
    }

    /** Every query of the dashboard: each panel target's {@code expr} and each variable's {@code query}. */
    public static List<String> queries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(variable.path("query").asText());
            }
        }
        return queries;
    }

    /** The metric names the dashboard's queries use. */
    public static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String query : queries()) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text page ({@code name} of every {@code name{labels} value} line). */
    public static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * The value of every sample of {@code name} in a Prometheus text page, summed over its label sets: 0 when the
     * page has none.
     */
    public static double sum(String scrape, String name) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find() && m.group(1).equals(name)) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                total += value.equals("NaN") ? 0 : Double.parseDouble(value);
            }
        }
        return total;
    }
}
