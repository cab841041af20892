package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator commands of {@code docs/cli-cookbook.md}, read from its {@code ```bash} blocks (a line ending in a
 * backslash goes on on the next one), so a test runs what the document shows and not a copy of it. A test picks a
 * command by a piece of its text, runs it for its own workflow id, and at the end asks which commands it never ran.
 */
final class Cookbook {

    /** The file, from the worker module (where failsafe runs). */
    static final Path FILE = Path.of("..", "docs", "cli-cookbook.md");

    /** The workflow id every command of the cookbook is written for. */
    static final String WORKFLOW_ID = "orders-to-v2";

    /** The cookbook's id where a command names a workflow: after {@code --workflow-id } or {@code WorkflowId="}. */
    private static final Pattern OWN_ID =
            Pattern.compile("(--workflow-id |WorkflowId=\")" + Pattern.quote(WORKFLOW_ID) + "(?=[\\s\"]|$)");

    private final List<String> commands;
    private final Set<String> ran = new LinkedHashSet<>();

    private Cookbook(List<String> commands) {
        this.commands = List.copyOf(commands);
    }

    static Cookbook read() throws IOException {
        return new Cookbook(commands(Files.readString(FILE)));
    }

    /** Every command in the {@code ```bash} blocks of {@code markdown}, continuation lines joined. */
    static List<String> commands(String markdown) {
        List<String> commands = new ArrayList<>();
        boolean inBash = false;
        StringBuilder current = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                inBash = !inBash && trimmed.equals("```bash");
                continue;
            }
            if (!inBash || (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#")))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            commands.add(current.append(trimmed).toString().replaceAll(" +", " "));
            current.setLength(0);
        }
        return commands;
    }

    List<String> commands() {
        return commands;
    }

    /**
     * The one command containing {@code piece} (where several do, the one ending with it), written for
     * {@code workflowId} instead of the cookbook's own id; counted as run.
     */
    String command(String piece, String workflowId) {
        List<String> matches = commands.stream().filter(c -> c.contains(piece)).toList();
        if (matches.size() > 1) {
            matches = matches.stream().filter(c -> c.endsWith(piece)).toList();
        }
        if (matches.size() != 1) {
            throw new AssertionError("expected exactly one command containing `" + piece + "` in " + FILE
                    + ", found " + matches);
        }
        ran.add(matches.get(0));
        return OWN_ID.matcher(matches.get(0)).replaceAll("$1" + Matcher.quoteReplacement(workflowId));
    }

    /** The commands no test has asked for: each one is a documented command nobody checked. */
    List<String> notRun() {
        return commands.stream().filter(c -> !ran.contains(c)).toList();
    }
}
